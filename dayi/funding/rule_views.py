"""Rule set pages: everyone reads the approved ones with their sources; the operator drafts and
edits drafts; an authority approves."""

import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403, show_domain_error

from . import rulesets, selectors
from .calculator import describe_rule, percent
from .forms import RuleSetForm
from .models import RuleSet


def rule_list(request):
    return render(
        request,
        "funding/rules.html",
        {
            "rule_sets": selectors.rule_sets(request.user),
            "is_operator": scope_of(request.user).is_operator,
        },
    )


def rule_detail(request, pk):
    rule_set = get_object_or_404(selectors.rule_sets(request.user), pk=pk)
    scope = scope_of(request.user)
    return render(
        request,
        "funding/rule_detail.html",
        {
            "rule_set": rule_set,
            "rules": [
                (rule, describe_rule(rule), [(b, percent(b.rate)) for b in rule.bands.all()])
                for rule in rule_set.rules.all()
            ],
            "can_approve": rule_set.status == "draft" and scope.is_authority and scope.can_see_region(rule_set.region),
            "is_operator": scope.is_operator,
        },
    )


def _as_json(rules):
    return json.dumps(rules, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _parse_rules(text):
    try:
        rules = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise DomainError(
            _("The rules are not valid JSON: %(error)s") % {"error": error}, field="rules_json"
        ) from error
    if not isinstance(rules, list) or not all(isinstance(r, dict) and isinstance(r.get("bands"), list) for r in rules):
        raise DomainError(_("The rules must be a list of rules, each with a list of bands."), field="rules_json")
    return rules


@login_required
@refusals_as_403
def rule_edit(request, pk=None):
    if not scope_of(request.user).is_operator:
        raise PermissionDenied(_("Only the platform operator drafts rule sets."))
    rule_set = get_object_or_404(RuleSet, pk=pk) if pk else None
    if rule_set is not None and rule_set.status != RuleSet.Status.DRAFT:
        raise PermissionDenied(_("An approved rule set is never edited; draft a new version that supersedes it."))
    initial = {"rules_json": _as_json(rulesets.rule_dicts(rule_set)) if rule_set else "[]"}
    form = RuleSetForm(request.POST or None, instance=rule_set, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RuleSetForm.Meta.fields}
        try:
            saved = rulesets.save_draft(
                actor=request.user,
                rule_set=rule_set,
                fields=fields,
                rules=_parse_rules(form.cleaned_data["rules_json"]),
            )
        except PermissionDenied:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("funding:rule_detail", saved.pk)
    return render(request, "funding/form.html", {"form": form, "title": _("Draft rule set")})


@login_required
@require_POST
@refusals_as_403
def rule_action(request, pk):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        if request.POST.get("action") == "approve":
            rulesets.approve(actor=request.user, rule_set=rule_set)
            messages.success(request, _("The rule set was approved and is in force for its period."))
        else:
            successor = rulesets.new_version(actor=request.user, of=rule_set)
            messages.success(request, _("A new draft version was created."))
            return redirect("funding:rule_edit", successor.pk)
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("funding:rule_detail", rule_set.pk)
