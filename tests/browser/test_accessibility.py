"""axe-core in Chromium on every page of every role, at 1280 px and at 390 px: no critical and
no serious violation.

axe-core is vendored from the npm registry (tests/browser/vendor/axe.min.js, MPL-2.0, with its
licence); it is a test asset, never served by the platform. The pages forbid inline and foreign
scripts (Content-Security-Policy), so this one browser context bypasses the policy to inject
it. One browser, one context for the whole tour: each person signs in on it in turn.
"""

import re
from pathlib import Path

import pytest

from jury.models import Assignment
from scoring import deliberation
from submissions import members, services
from tests.factories import PASSWORD, AttachmentFactory, CityContactFactory, OrganizationFactory
from tests.worlds import JudgedCall, draft_of

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = (1280, 390)
BLOCKING = ("critical", "serious")
# Each table box that scrolls sideways is a focusable region, and only those (metropolis.js).
TABLES_SETTLED = """() => [...document.querySelectorAll(".table-wrap")].every(
    wrap => (wrap.scrollWidth > wrap.clientWidth + 1) === (wrap.getAttribute("tabindex") === "0")
)"""
# axe reads an unknown aria-current value as "true" and lets it pass; the issue found one on
# every page (aria-current rendered with literal quotes), so the tour checks the tokens too.
BAD_ARIA_CURRENT = """() => [...document.querySelectorAll("[aria-current]")]
    .map(node => node.getAttribute("aria-current"))
    .filter(value => !["page", "step", "location", "date", "time", "true", "false"]
        .includes(value))"""
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
    }));
}"""


class Tour:
    """The pages of one world, visited by each person in one browser context."""

    def __init__(self, chromium, base_url: str):
        self.context = chromium.new_context(
            base_url=base_url, viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.failures: list[str] = []
        self.checked: list[str] = []

    def sign_in(self, username: str | None):
        self.context.clear_cookies()
        if username:
            self.page.goto("/accounts/login/")
            self.page.get_by_label("User name").fill(username)
            self.page.get_by_label("Password").fill(PASSWORD)
            self.page.get_by_role("button", name="Sign in").click()
            self.page.wait_for_url(re.compile(r".*/(city|juror|secretariat|board)/$"))

    def check(self, who: str, url: str | None = None, *, status: int = 200, label: str = ""):
        """Open the page (or check the one on screen) at each width and run axe on it."""
        page = self.page
        if url is not None:
            response = page.goto(url)
            assert response.status == status, f"{who} {url}: {response.status}"
        page.wait_for_load_state("load")
        name = label or page.url.split(page.url.split("/")[2], 1)[-1]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function(TABLES_SETTLED)  # the resize handler has caught up
            if not page.evaluate("typeof axe !== 'undefined'"):
                page.add_script_tag(path=str(AXE))
            for v in page.evaluate(RUN_AXE):
                if v["impact"] in BLOCKING:
                    self.failures.append(
                        f"{who} {name} @{width}px: {v['id']} ({v['impact']}) {v['help']} "
                        f"-> {v['targets']}"
                    )
        for value in page.evaluate(BAD_ARIA_CURRENT):
            self.failures.append(f"{who} {name}: aria-current has the value {value!r}")
        self.checked.append(f"{who} {name}")
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def close(self):
        self.context.close()


@pytest.fixture
def world(transactional_db):
    # A call judged, released and decided by the Board, not yet announced: the Board's pages.
    judged = JudgedCall(title="Metropolis Award 2030")
    judged.assign()
    judged.score_all()
    shortlisted = judged.shortlist_and_release(top_n=3)
    # The jury's deliberation on it (issue 13, item 7): a message and a consensus note.
    talked = (
        Assignment.objects.filter(round=judged.round, submission=shortlisted[0])
        .exclude(juror=judged.chair)
        .first()
    )
    deliberation.post(talked.juror, judged.round, talked.submission, "Impact on one district.")
    deliberation.record_consensus(judged.chair, judged.round, talked.submission, "Strong, narrow.")
    # A call whose winners are announced: the public pages.
    announced = JudgedCall(title="Metropolis Award 2027")
    announced.decide()
    # A call open to cities, whose jury is at work: the cities', jurors' and chair's pages.
    open_call = JudgedCall(title="Metropolis Initiatives 2031")
    open_call.assign()
    city = CityContactFactory(username="dakar", organization=OrganizationFactory(name="Dakar"))
    draft = draft_of(city, open_call.call, title="Green corridors")
    sent = draft_of(city, open_call.call, title="Water for all", description="Pipes and taps.")
    services.submit(city, sent)
    juror = open_call.jurors[1]
    assignment = Assignment.objects.filter(juror=juror).first()
    AttachmentFactory(submission=assignment.submission)  # read beside the rubric
    # A round whose shortlist is still uncertain at the cut: the results page's odds, its
    # filters, the extra reviews and the confirmations.
    cut = JudgedCall.at_the_cut(title="Metropolis Award 2032")
    return {
        "cut": cut,
        "judged": judged,
        "shortlisted": shortlisted,
        "announced": announced,
        "open": open_call,
        "city": city,
        "draft": draft,
        "sent": sent,
        "juror": juror,
        "assignment": assignment,
        "talked": talked,
        "invitation": members.set_password_link(city).split("://", 1)[1].split("/", 1)[1],
    }


def test_every_page_of_every_role_has_no_serious_accessibility_violation(
    chromium, live_server, world
):
    tour = Tour(chromium, live_server.url)
    try:
        _visit_everything(tour, world)
    finally:
        tour.close()
    assert not tour.failures, f"{len(tour.failures)} violations:\n" + "\n".join(tour.failures)
    assert len(tour.checked) == 62, tour.checked  # every page of the tour was reached


def _visit_everything(tour: Tour, w: dict) -> None:
    judged, opened, announced = w["judged"].call, w["open"].call, w["announced"].call
    page = tour.page

    # Anonymous visitors: the front door, signing in (and a failed try), the invitation link,
    # the public winners, a missing page.
    tour.sign_in(None)
    tour.check("anonymous", "/")
    tour.check("anonymous", "/accounts/login/")
    page.get_by_label("User name").fill("dakar")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    tour.check("anonymous", label="/accounts/login/ (refused)")
    tour.check("anonymous", "/" + w["invitation"])
    tour.check("anonymous", "/winners/")
    tour.check("anonymous", f"/winners/{announced.slug}/")
    tour.check("anonymous", "/winners/no-such-call/", status=404)

    # A city: its entries, a new one, a draft, the confirmation, a receipt, withdrawing.
    tour.sign_in("dakar")
    draft, sent = w["draft"].pk, w["sent"].pk
    for url in (
        "/city/",
        f"/city/calls/{opened.slug}/new/",
        f"/city/entries/{draft}/",
        f"/city/entries/{draft}/submit/",
        f"/city/entries/{sent}/",
        f"/city/entries/{sent}/receipt/",
        f"/city/entries/{draft}/withdraw/",
        "/accounts/password_change/",
    ):
        tour.check("city", url)
    page.goto(f"/city/calls/{opened.slug}/new/")
    page.get_by_role("button", name="Save the draft").click()
    tour.check("city", label="new entry (refused)")
    tour.check("city", "/secretariat/", status=403)

    # A juror: the queue and the score form; the chair: the jury's assignment and progress.
    tour.sign_in(w["juror"].username)
    tour.check("juror", "/juror/")
    tour.check("juror", f"/juror/assignments/{w['assignment'].pk}/")
    page.wait_for_selector("[data-pdf-canvas] canvas[data-drawn]")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit my scores").click()
    tour.check("juror", label="score form (submit not confirmed)")
    tour.sign_in(w["judged"].jurors[1].username)  # every sheet submitted: a finished round
    page.goto("/juror/")
    page.locator(".finished-rounds > summary").click()
    tour.check("juror", label="finished rounds, unfolded")
    tour.sign_in(w["open"].chair.username)
    tour.check("chair", "/juror/")
    tour.check("chair", f"/secretariat/calls/{opened.slug}/assignment/")
    tour.check("chair", f"/secretariat/calls/{opened.slug}/progress/")
    tour.sign_in(w["cut"].chair.username)
    tour.check("chair", f"/secretariat/calls/{w['cut'].call.slug}/extra-reviews/?top_n=3")

    # The jury's deliberation: the discussion under a submitted sheet, the chair's To discuss
    # list (with a cut) and an entry's discussion with the consensus form.
    talked = w["talked"]
    tour.sign_in(talked.juror.username)
    tour.check("juror", f"/juror/assignments/{talked.pk}/")
    tour.sign_in(w["judged"].chair.username)
    tour.check("chair", f"/secretariat/calls/{judged.slug}/to-discuss/?round=1&top_n=2")
    tour.check(
        "chair", f"/secretariat/calls/{judged.slug}/to-discuss/{talked.submission_id}/?round=1"
    )

    # The secretariat: calls, set-up, eligibility, assignment (and its preview), progress,
    # results, an entry, the import (and its preview).
    tour.sign_in(w["open"].staff.username)
    for url in (
        "/secretariat/",
        "/secretariat/calls/new/",
        f"/secretariat/calls/{opened.slug}/",
        f"/secretariat/calls/{opened.slug}/edit/",
        f"/secretariat/calls/{opened.slug}/eligibility/",
        f"/secretariat/calls/{opened.slug}/progress/",
        f"/secretariat/calls/{judged.slug}/results/",
        f"/secretariat/calls/{judged.slug}/results/?round=1&to_discuss=1",
        f"/secretariat/calls/{judged.slug}/to-discuss/?round=1",
        f"/secretariat/entries/{sent}/",
        "/secretariat/imports/",
        # The set-up: a round (new, changed), its rubric (open, and locked), the jury, a seat.
        f"/secretariat/calls/{opened.slug}/rounds/new/",
        f"/secretariat/calls/{opened.slug}/rounds/1/",
        f"/secretariat/calls/{opened.slug}/rounds/1/rubric/",
        f"/secretariat/calls/{judged.slug}/rounds/1/rubric/",
        f"/secretariat/calls/{opened.slug}/jury/",
        f"/secretariat/calls/{opened.slug}/jury/{w['juror'].pk}/",
        f"/secretariat/calls/{opened.slug}/jury/{w['juror'].pk}/unseat/",
    ):
        tour.check("secretariat", url)
    page.goto(f"/secretariat/calls/{opened.slug}/rounds/1/rubric/")
    page.locator('[name="criteria-0-weight"]').fill("0")
    page.get_by_role("button", name="Save the rubric").click()
    tour.check("secretariat", label="rubric (refused)")
    tour.check("secretariat", f"/secretariat/calls/{opened.slug}/messages/")
    page.get_by_label("Every juror of the call's jury").check()
    page.locator("#id_subject").fill("Jury meeting")
    page.locator("#id_body").fill("We meet on 2 June.")
    with page.expect_navigation():
        page.get_by_role("button", name="See who receives it").click()
    tour.check("secretariat", label="messages (preview)")
    page.goto(f"/secretariat/calls/{opened.slug}/assignment/")
    tour.check("secretariat", label="assignment")
    page.get_by_role("button", name="Preview the plan").click()
    tour.check("secretariat", label="assignment (preview)")
    # Results at the cut: the odds first, filtered, the extra reviews previewed, and the
    # confirmations of Shortlist and Release.
    cut = w["cut"].call.slug
    tour.check("secretariat", f"/secretariat/calls/{cut}/results/?round=1&top_n=3")
    tour.check("secretariat", f"/secretariat/calls/{cut}/results/?round=1&top_n=3&uncertain=1")
    tour.check("secretariat", f"/secretariat/calls/{cut}/extra-reviews/?round=1&top_n=3")
    page.get_by_label("How many more reviews").fill("2")
    page.get_by_role("button", name="Preview", exact=True).click()
    tour.check("secretariat", label="extra reviews (preview)")
    page.goto(f"/secretariat/calls/{cut}/results/?round=1&top_n=3")
    page.get_by_role("button", name="Shortlist", exact=True).click()
    tour.check("secretariat", label="shortlist (confirm)")
    page.goto(f"/secretariat/calls/{cut}/results/?round=1&top_n=3")
    page.get_by_role("button", name="Release the results").click()
    tour.check("secretariat", label="release (confirm)")
    page.goto("/secretariat/imports/")
    page.get_by_label("Members (organisations)").check()
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[
            {
                "name": "members.csv",
                "mimeType": "text/csv",
                "buffer": b"name,city,country,region\nLagos,Lagos,Nigeria,africa\n"
                b"Atlantis,,Nowhere,Mars\n",
            }
        ]
    )
    page.get_by_role("button", name="Preview the import").click()
    tour.check("secretariat", label="import (preview)")

    # The Board: its calls, the shortlist with the charts, an entry with the decision form.
    tour.sign_in(w["judged"].board.username)
    tour.check("board", "/board/")
    tour.check("board", f"/board/calls/{judged.slug}/")
    tour.check("board", f"/board/calls/{judged.slug}/entries/{w['shortlisted'][0].pk}/")
    tour.check("board", f"/winners/{announced.slug}/")


# The SRI hash that the axe-core 4.14.1 package publishes for axe.min.js (sri-history.json).
AXE_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="


def test_the_vendored_axe_core_is_the_published_file():
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode()
    assert f"sha256-{digest}" == AXE_SRI
    assert (AXE.parent / "axe-core.LICENSE").read_text().startswith("Mozilla Public License")


def test_the_check_finds_what_the_issue_named(chromium):
    """The harness fails a page with the faults of issue 14: an aria-current rendered with
    literal quotes, and a chart container (role img) holding buttons."""
    context = chromium.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main>'
            '<nav aria-label="Main"><a href="/" aria-current="&quot;page&quot;">Home</a></nav>'
            '<div role="img" aria-label="Chart"><button>Zoom</button></div>'
            "</main></body></html>"
        )
        page.add_script_tag(path=str(AXE))
        found = {v["id"]: v["impact"] for v in page.evaluate(RUN_AXE)}
        bad_current = page.evaluate(BAD_ARIA_CURRENT)
    finally:
        context.close()
    assert bad_current == ['"page"']
    assert found.get("nested-interactive") in BLOCKING
