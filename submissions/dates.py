"""Moments as people read them: in the call's own time zone, e.g. "30 May 2014 23:59 CEST"."""

from datetime import datetime

from django.utils import formats, timezone

from .models import Call


def format_in_call_timezone(call: Call, moment: datetime) -> str:
    local = timezone.localtime(moment, call.tzinfo)
    return f"{formats.date_format(local, 'j F Y H:i')} {local.tzname()}"
