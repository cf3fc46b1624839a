"""Words shown to people for the platform's codes, in the visitor's language.

Display only: which status an entry has, or which outcome the Board chose, is decided by the
services; these are the names the pages print for them.
"""

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from scoring.charts import METHOD_LABELS
from submissions.errors import translatable
from submissions.labels import DOCUMENT_KIND, STATUS, label

__all__ = [
    "CALL_KIND",
    "CALL_STATUS",
    "DOCUMENT_KIND",
    "FILE_TYPE",
    "METHOD",
    "OUTCOME",
    "ROLE",
    "SHEET_STATUS",
    "STATUS",
    "js_strings",
    "label",
]

CALL_STATUS = {
    "upcoming": pgettext_lazy("call status", "Upcoming"),
    "open": pgettext_lazy("call status", "Open"),
    "closed": pgettext_lazy("call status", "Closed"),
}

SHEET_STATUS = {
    None: _("Not started"),
    "draft": _("Draft saved"),
    "submitted": _("Submitted"),
}

OUTCOME = {
    "awarded": _("Awarded"),
    "special_mention": _("Special mention"),
    "selected": _("Selected"),
    "not_selected": _("Not selected"),
}

ROLE = {
    "city_contact": _("City contact"),
    "secretariat": _("Secretariat"),
    "juror": _("Juror"),
    "board": _("Board member"),
}

CALL_KIND = {"award": _("Award"), "initiative": _("Initiative")}

# The types of file a call may accept (submissions.sniffing.KNOWN_TYPES), by name.
FILE_TYPE = {
    "application/pdf": _("PDF document (.pdf)"),
    "image/png": _("PNG image (.png)"),
    "image/jpeg": _("JPEG image (.jpg, .jpeg)"),
    "video/mp4": _("MP4 video (.mp4, .m4v)"),
    "video/quicktime": _("QuickTime video (.mov)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _(
        "Word document (.docx)"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _(
        "Excel workbook (.xlsx)"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _(
        "PowerPoint presentation (.pptx)"
    ),
}

# The methods' names are the charts' (one list, scoring.charts), worded in the reader's language.
METHOD = translatable(METHOD_LABELS)


def js_strings() -> dict[str, str]:
    """Strings the small scripts print, translated on the server like every other string."""
    return {
        "saving": gettext("Saving…"),
        "saved": gettext("All changes saved at %(time)s."),
        "saveFailed": gettext("Not saved: %(message)s"),
        "offline": gettext("Not saved: the server could not be reached. Your text is still here."),
        "stale": gettext(
            "This sheet was changed in another tab or window. Reload the page to see the latest "
            "version before you continue."
        ),
        "uploading": gettext("Uploading %(name)s: %(percent)s%%"),
        "checking": gettext("Checking %(name)s…"),
        "uploaded": gettext("%(name)s was uploaded."),
        "uploadFailed": gettext("%(name)s was not uploaded: %(message)s"),
        "chooseFile": gettext("Choose a file first."),
        "closed": gettext("The deadline has passed."),
        "left": gettext("%(time)s left"),
        "yourTime": gettext("Your time: %(time)s"),
        "scrollTable": gettext("%(name)s (scrolls sideways)"),
    }
