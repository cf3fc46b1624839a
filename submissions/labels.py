"""The names people read for submissions' codes, in their language: an entry's statuses and the
kinds of documents. The services word their messages with them; the pages print them
(frontend/labels.py gathers these with the names of the other apps' codes)."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

STATUS = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "withdrawn": _("Withdrawn"),
    "eligible": _("Eligible"),
    "ineligible": _("Ineligible"),
    "shortlisted": _("Shortlisted"),
    "awarded": _("Awarded"),
    "not_selected": _("Not selected"),
    "under_review": _("Under review"),
}

DOCUMENT_KIND = {
    "application_form": _("Application form"),
    "supporting_document": _("Supporting document"),
    "image": _("Image"),
    "video": _("Video"),
    "presentation": _("Presentation"),
}


def label(table: dict, code) -> str:
    """The translated name of a code, or the code itself when the table does not know it."""
    found = table.get(code)
    return str(found) if found is not None else str(code or "").replace("_", " ").capitalize()


def _lower_label(table: dict, code) -> str:
    return label(table, code).lower()


lazy_label = lazy(label, str)
lazy_lower_label = lazy(_lower_label, str)
