"""Template helpers of the pages: labels, deadlines in the call's time zone, script strings."""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import partial

from django import template
from django.utils import formats, timezone
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from scoring.validation import number as format_number
from submissions.dates import format_in_call_timezone
from submissions.errors import render_record

from .. import labels

register = template.Library()


@register.filter
def in_call_tz(moment: datetime | None, call) -> str:
    """A moment as the call's own clock shows it, e.g. "30 May 2014 23:59 CEST"."""
    if moment is None:
        return ""
    return format_in_call_timezone(call, moment)


@register.inclusion_tag("frontend/includes/deadline.html")
def deadline(call, moment: datetime, countdown: bool = True):
    """The deadline in the call's time zone, in the visitor's (filled in by the script), and
    a countdown while it lies ahead."""
    ahead = moment > timezone.now()
    return {
        "call": call,
        "moment": moment,
        "iso": moment.isoformat(),
        "ahead": ahead,
        "countdown": countdown and ahead,
    }


# {{ code|status_label }} and the like: the translated name of a code (frontend/labels.py).
LABEL_FILTERS = {
    "status_label": labels.STATUS,
    "call_status_label": labels.CALL_STATUS,
    "outcome_label": labels.OUTCOME,
    "kind_label": labels.DOCUMENT_KIND,
    "role_label": labels.ROLE,
    "call_kind_label": labels.CALL_KIND,
    "method_label": labels.METHOD,
}
for _name, _table in LABEL_FILTERS.items():
    register.filter(_name, partial(labels.label, _table))


@register.filter
def sheet_label(code) -> str:
    """A sheet's state; no sheet yet reads "Not started"."""
    return labels.label(labels.SHEET_STATUS, code or None)


@register.filter
def number(value) -> str:
    """A score as a person writes it, in the visitor's language: 7, 7.5 or 7,5 (never 7.00)."""
    if value is None or value == "":
        return "—"
    try:
        return formats.localize(Decimal(format_number(Decimal(str(value)))))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def percent(done, total) -> int:
    try:
        return round(100 * float(done) / float(total)) if float(total) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def get(mapping, key):
    """mapping[key] in a template, for dictionaries keyed by numbers or variables."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def refusal(attachment) -> str:
    """Why a file was refused, in the visitor's language (its recorded template and parameters;
    a file refused before they were recorded shows the sentence it was refused with)."""
    if attachment.problem_record:
        return render_record(attachment.problem_record)
    return attachment.problem


@register.simple_tag
def js_strings():
    return json_script(labels.js_strings(), "js-strings")


@register.simple_tag(takes_context=True)
def current(context, prefix: str) -> str:
    """aria-current for the navigation link whose section the visitor is in."""
    request = context.get("request")
    path = request.path if request else ""
    matches = path == "/" if prefix == "/" else path.startswith(prefix)
    # Safe markup: escaped, the attribute would read aria-current=&quot;page&quot;, a value
    # with literal quotes that assistive technologies do not understand.
    return mark_safe('aria-current="page"') if matches else ""
