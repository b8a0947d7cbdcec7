"""The audit trail page (operators only) and the presentation of entries that other pages reuse."""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dayi.accounts.permissions import scope_of

from .models import AuditEntry

ACTION_LABELS = {
    "instrument.created": _("created"),
    "instrument.updated": _("edited"),
    "instrument.submitted": _("submitted for network entry"),
    "instrument.approved": _("approved into the network"),
    "instrument.returned": _("returned for changes"),
    "instrument.edit_refused": _("edit refused"),
    "instrument.submit_refused": _("submission refused"),
    "instrument.photo_added": _("photo added"),
    "instrument.photo_removed": _("photo removed"),
}

PAGE_SIZE = 50


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def _model_for(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def type_label(target_type: str) -> str:
    model = _model_for(target_type)
    return str(model._meta.verbose_name) if model else target_type


class _Row:
    def __init__(self, label, old, new):
        self.label, self.old, self.new = label, old, new


def present(entries) -> list[AuditEntry]:
    """Entries with readable labels: the action's name, and each change as field label, old → new,
    with choices, yes/no and foreign keys shown as a person reads them. Related names are
    fetched once per model for the whole page."""
    entries = list(entries)
    wanted: dict[type[models.Model], set] = {}
    plans = []
    for entry in entries:
        model = _model_for(entry.target_type)
        plan = []
        for name, values in (entry.changes or {}).items():
            old, new = values if isinstance(values, list | tuple) and len(values) == 2 else (None, values)
            field = _field(model, name)
            if field is not None and field.is_relation and field.many_to_one:
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v not in (None, ""))
            plan.append((name, field, old, new))
        plans.append(plan)
    names = {model: model._default_manager.in_bulk(list(ids)) for model, ids in wanted.items()}
    for entry, plan in zip(entries, plans, strict=True):
        entry.action_label = action_label(entry.action)
        entry.type_label = type_label(entry.target_type)
        entry.rows = [
            _Row(field.verbose_name if field is not None else name, _show(field, old, names), _show(field, new, names))
            for name, field, old, new in plan
            if not (_empty(old) and _empty(new))
        ]
    return entries


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _empty(value):
    return value is None or value == ""


def _show(field, value, names):
    """The value as a person reads it; None when there was none (a new record, a cleared field)."""
    if _empty(value):
        return None
    if field is None:
        return value
    if field.is_relation and field.many_to_one:
        related = names.get(field.related_model, {}).get(_key(field, value))
        return str(related) if related is not None else value
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _key(field, value):
    target = field.target_field
    if isinstance(target, models.AutoField | models.BigAutoField | models.IntegerField):
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return value


def _choices(column: str, label):
    def choices():
        values = AuditEntry.objects.order_by(column).values_list(column, flat=True).distinct()
        return [(value, label(value)) for value in values]

    return choices


class TrailFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(label=_("action"), choices=_choices("action", action_label))
    target_type = django_filters.ChoiceFilter(label=_("record type"), choices=_choices("target_type", type_label))
    actor = django_filters.CharFilter(label=_("actor"), field_name="actor_label", lookup_expr="icontains")
    record = django_filters.CharFilter(label=_("record"), field_name="target_label", lookup_expr="icontains")
    since = django_filters.DateFilter(
        label=_("from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("to"), field_name="created_at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEntry
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


@login_required
def trail(request):
    if not scope_of(request.user).is_operator:
        raise Forbidden(gettext("Only the platform operator reads the audit trail."))
    filters = TrailFilter(request.GET, queryset=AuditEntry.objects.select_related("actor"))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/trail.html",
        {"filters": filters, "page": page, "entries": present(page.object_list), "total": page.paginator.count},
    )
