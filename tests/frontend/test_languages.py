"""English, French and Spanish: the switcher, complete catalogs, translated refusals."""

import gettext
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from submissions.errors import DomainError, translatable
from tests.factories import CallFactory
from tests.worlds import draft_of

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize(
    ("language", "lang_attribute", "heading"),
    [
        ("fr", 'lang="fr"', "Vos candidatures et les appels ouverts"),
        ("es", 'lang="es"', "Sus candidaturas y las convocatorias abiertas"),
        ("en", 'lang="en"', "Your entries and the open calls"),
    ],
)
def test_the_language_switch_changes_the_pages_language(
    page, city, language, lang_attribute, heading
):
    contact, _call = city
    client = page(contact)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/city/"})
    assert response.status_code == 302 and response["Location"] == "/city/"
    html = client.get("/city/").content.decode()
    assert lang_attribute in html and heading in html
    assert 'aria-pressed="true"' in html.split(f'value="{language}"')[1][:200]


def test_the_switcher_is_on_every_page_including_sign_in(page):
    html = page().get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    for code in ("en", "fr", "es"):
        assert f'name="language" value="{code}"' in html


def test_a_services_refusal_is_shown_in_the_visitors_language(page, city):
    contact, call = city
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.timezone = "Europe/Paris"
    call.save()
    client = page(contact)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.post(f"/city/calls/{call.slug}/new/", {"title": "En retard"}).content.decode()
    assert "La date limite de cet appel est passée le" in html
    assert "The deadline for this call passed" not in html


def _po_entries(path: Path) -> list[tuple[str, str, list[str]]]:
    """(context, msgid, msgstrs) of each entry of a .po file; single-line strings only."""
    entries = []
    for block in path.read_text().split("\n\n")[1:]:
        if "msgid" not in block:
            continue
        assert "#, fuzzy" not in block, block
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = re.search(r'^msgid "(.*)"$', block, re.M).group(1)
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', block, re.M)
        entries.append((context.group(1) if context else "", msgid, strings))
    return entries


def _unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_string_is_translated_and_the_shipped_catalog_matches_its_source(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    entries = _po_entries(po)
    assert len(entries) > 300
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for context, msgid, strings in entries:
        assert all(strings), f"untranslated: {msgid}"
        key = f"{context}\x04{msgid}" if context else msgid
        if len(strings) == 1:
            assert compiled.gettext(_unescape(key)) == _unescape(strings[0]), msgid
        placeholders = set(re.findall(r"%\(\w+\)s", msgid))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)s", text)) == placeholders, msgid


def _refusal(action) -> DomainError:
    with pytest.raises(DomainError) as error:
        action()
    return error.value


def test_each_refusal_is_worded_in_the_visitors_language_from_its_template(city, scene):
    """A refusal carries its template and parameters and is worded where it is shown: raised
    through the real code, each reads differently in French than in English (no sentence is
    matched back to a pattern any more)."""
    from scoring import rules
    from scoring.selectors import rubric
    from scoring.validation import validate_scores, value_problem
    from submissions import file_checks, services
    from submissions.eligibility import eligibility_problems

    contact, call = city
    org = contact.organization
    closed = CallFactory(deadline=timezone.now() - timedelta(days=1))
    errors = [
        _refusal(lambda: services.create_draft(contact, closed, org, title="Late")),
        _refusal(lambda: services.extend_deadline(scene.staff, call, call.deadline, "Later")),
        _refusal(lambda: services.extend_deadline(scene.staff, call, call.deadline, " ")),
        _refusal(lambda: file_checks.validate_declared(call, "a.exe", "text/x", 9, "form")),
        _refusal(lambda: file_checks.validate_declared(call, "a.png", "application/pdf", 9, "x")),
        _refusal(lambda: file_checks.validate_declared(call, "a.pdf", "application/pdf", 0, "x")),
        _refusal(
            lambda: file_checks.validate_declared(call, "a.pdf", "application/pdf", 10**9, "x")
        ),
        _refusal(lambda: file_checks.validate_content(call, "a.pdf", "application/pdf", b"MZ")),
        _refusal(lambda: file_checks.validate_name("../a.pdf")),
    ]
    entry = draft_of(contact, call, description="")
    draft_of(contact, call, title="Second")
    errors.append(_refusal(lambda: services.submit(contact, entry)))
    errors.append(_refusal(lambda: services.create_draft(contact, call, org, title="Third")))
    scene.round.jury_deadline = timezone.now() - timedelta(days=1)
    errors.append(_refusal(lambda: rules.ensure_jury_open(scene.round)))
    sentences = []
    for error in errors:
        sentences.append(lambda error=error: error.message)
        sentences.append(lambda error=error: error.summary)
        sentences.extend(lambda m=m: str(m) for ms in error.fields.values() for m in ms)
    org.dues_paid_through = 2012
    sentences.extend(lambda m=m: str(m) for m in eligibility_problems(call, org))
    criteria = rubric(scene.round)
    impact = next(c for c in criteria if c["key"] == "impact")
    phrases = [value_problem(impact, Decimal(12)), value_problem(impact, Decimal("7.5"))]
    incomplete = validate_scores(
        criteria, [{"criterion": "impact", "value": Decimal(7)}], complete=True
    )
    phrases.extend(m for ms in incomplete.values() for m in ms)
    sentences.extend(lambda p=p: str(translatable(p)) for p in phrases)
    assert len(sentences) >= 40
    for sentence in sentences:
        with translation.override("en"):
            english = sentence()
        with translation.override("fr"):
            french = sentence()
        assert french != english, english


MARKERS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "Phrase"}


def _marked_in_the_code() -> dict[str, str]:
    """Every sentence the Python code marks for translation (a literal passed to _(), gettext,
    gettext_lazy... or to Phrase, the pure modules' marker), with where it is."""
    import ast

    found = {}
    for app in ("submissions", "jury", "scoring", "frontend", "config"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found[node.args[0].value] = f"{path.name}:{node.lineno}"
    return found


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_sentence_the_code_marks_is_in_the_catalog(language):
    known = {
        _unescape(msgid)
        for _context, msgid, _strings in _po_entries(
            LOCALE / language / "LC_MESSAGES" / "django.po"
        )
    }
    marked = _marked_in_the_code()
    assert len(marked) > 300
    missing = {msgid: where for msgid, where in marked.items() if msgid not in known}
    assert missing == {}
