"""Rule set pages: everyone reads the approved ones with their sources; the operator drafts and
edits drafts; an authority approves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import refusals_as_403, show_domain_error

from . import rulesets, selectors
from .calculator import describe_rule, percent
from .models import RuleSet
from .rule_forms import RuleSetEditor


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


@login_required
@refusals_as_403
def rule_edit(request, pk=None):
    if not scope_of(request.user).is_operator:
        raise PermissionDenied(_("Only the platform operator drafts rule sets."))
    rule_set = get_object_or_404(RuleSet, pk=pk) if pk else None
    if rule_set is not None and rule_set.status != RuleSet.Status.DRAFT:
        raise PermissionDenied(_("An approved rule set is never edited; draft a new version that supersedes it."))
    editor = RuleSetEditor(
        request.POST or None, rule_set=rule_set, rules=rulesets.rule_dicts(rule_set) if rule_set else ()
    )
    if request.method == "POST" and editor.is_valid():
        try:
            saved = rulesets.save_draft(
                actor=request.user, rule_set=rule_set, fields=editor.fields(), rules=editor.rule_dicts()
            )
        except PermissionDenied:
            raise
        except rulesets.RuleSetRefused as refused:
            for problem in refused.problems:
                editor.form.add_error(None, problem)
        except DomainError as error:
            show_domain_error(editor.form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("funding:rule_detail", saved.pk)
    return render(request, "funding/rule_form.html", {"editor": editor, "rule_set": rule_set})


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
