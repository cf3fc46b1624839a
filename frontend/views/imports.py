"""Secretariat: bulk import of members, city contacts and jurors from CSV or XLSX.

Upload, then a preview that says what becomes of each row; nothing is written until the
secretariat applies the preview. The file travels back with the preview form (it is small), and
applying plans it again: if anything changed meanwhile, the new preview is shown instead.
"""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from jury.importing import IMPORTERS
from submissions import importing
from submissions.errors import DomainError
from submissions.imports import MAX_BYTES, SPECS, Plan, Problem

from .common import secretariat_required

TEMPLATE = "frontend/secretariat/imports.html"

KINDS = [
    ("members", gettext_lazy("Members (organisations)")),
    ("contacts", gettext_lazy("City contacts")),
    ("jurors", gettext_lazy("Jurors")),
]
FATES = {
    "new": pgettext_lazy("import row", "New"),
    "updated": pgettext_lazy("import row", "Updated"),
    "unchanged": pgettext_lazy("import row", "Unchanged"),
    "refused": pgettext_lazy("import row", "Refused"),
}
COLUMNS = {
    "name": gettext_lazy("the member's name, as the association writes it"),
    "city": gettext_lazy("city"),
    "country": gettext_lazy("country"),
    "region": gettext_lazy(
        "africa, asia_pacific, europe, latin_america, middle_east or north_america"
    ),
    "kind": gettext_lazy("member (the default) or partner"),
    "dues_paid_through": gettext_lazy("the last year whose dues are paid, e.g. 2014"),
    "username": gettext_lazy("the user name to sign in with"),
    "email": gettext_lazy("where the invitation is sent"),
    "organization": gettext_lazy("the member's name, exactly as in the members list"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "affiliation": gettext_lazy("university, agency or firm"),
    "call": gettext_lazy("the short name of a call, to seat the juror on its jury"),
    "expertise": gettext_lazy("themes of that call, separated by semicolons"),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=KINDS, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("Up to 1 MB. The first line names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


def _columns() -> list[dict]:
    return [
        {
            "kind": kind,
            "label": label,
            "columns": [
                {"name": name, "required": name in SPECS[kind].required, "help": COLUMNS[name]}
                for name in SPECS[kind].columns
            ],
        }
        for kind, label in KINDS
    ]


def _shown(plan: Plan) -> dict:
    counts = plan.counts()
    return {
        "kind": plan.kind,
        "kind_label": dict(KINDS)[plan.kind],
        "counts": [(fate, FATES[fate], counts[fate]) for fate in FATES],
        "writes": plan.writes,
        "refused": counts["refused"],
        "digest": plan.digest(),
        "rows": [
            {
                "line": row.line,
                "key": row.key,
                "fate": row.fate,
                "fate_label": FATES[row.fate],
                "changes": row.changes,
                "problems": [importing.problem_message(p) for p in row.problems],
            }
            for row in plan.rows
        ],
    }


def _page(request, form, *, plan=None, file=None, error="", status=200):
    context = {
        "form": form,
        "kinds": _columns(),
        "plan": _shown(plan) if plan else None,
        "error": error,
    }
    if plan and file:
        name, data = file
        context["file"] = {"name": name, "content": base64.b64encode(data).decode("ascii")}
    return render(request, TEMPLATE, context, status=status)


def _refused(request, form, error: DomainError):
    return _page(request, form, error=error.message, status=error.status_code)


@secretariat_required
def imports(request):
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_BYTES + 1)
    try:
        plan = importing.preview(
            request.user, IMPORTERS[form.cleaned_data["kind"]], upload.name, data
        )
    except DomainError as error:
        return _refused(request, form, error)
    return _page(request, form, plan=plan, file=(upload.name, data))


@require_POST
@secretariat_required
def apply(request):
    form = ImportForm(initial={"kind": request.POST.get("kind")})
    importer = IMPORTERS.get(request.POST.get("kind", ""))
    try:
        data = base64.b64decode(request.POST.get("content", ""), validate=True)
    except (binascii.Error, ValueError):
        data = b""
    name = request.POST.get("filename", "")
    if importer is None or not data:
        return _refused(request, form, importing.ImportRefused(Problem("empty")))
    try:
        plan, invited = importing.apply(
            request.user, importer, name, data, request.POST.get("digest", "")
        )
    except importing.PreviewOutdated as outdated:
        return _page(
            request,
            form,
            plan=outdated.plan,
            file=(name, data),
            error=outdated.message,
            status=409,
        )
    except DomainError as error:
        return _refused(request, form, error)
    counts = plan.counts()
    messages.success(
        request,
        _(
            "Imported from %(file)s: %(new)s new, %(updated)s updated, %(unchanged)s unchanged; "
            "%(refused)s refused rows left out. Invitations sent: %(invited)s."
        )
        % {"file": name, **counts, "invited": invited},
    )
    return redirect("secretariat:imports")
