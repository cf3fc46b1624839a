"""Board: the released shortlist with its charts, an entry's scores and comments, decisions."""

import gzip
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from plotly.offline import get_plotlyjs

from frontend.views.board import PLOTLY_BUNDLE, PLOTLY_JS_VERSION
from scoring.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(scene):
    scene.assign()
    scene.score_all()
    scene.chosen = scene.shortlist_and_release(top_n=2)
    return scene


def test_the_board_sees_nothing_before_the_release(page, scene):
    scene.assign()
    scene.score_all()
    client = page(scene.board)
    assert "No results have been released" in client.get("/board/").content.decode()
    response = client.get(f"/board/calls/{scene.call.slug}/")
    assert response.status_code == 403
    assert "has not released this round" in response.content.decode()


def test_the_shortlist_page_lists_the_shortlist_and_draws_the_reports_charts(page, released):
    client = page(released.board)
    assert released.call.title in client.get("/board/").content.decode()
    html = client.get(f"/board/calls/{released.call.slug}/").content.decode()
    for entry in released.chosen:
        assert f"/board/calls/{released.call.slug}/entries/{entry.pk}/" in html
    assert html.count('class="chart"') == 7
    assert f"/board/plotly-{PLOTLY_JS_VERSION}.min.js" in html
    assert 'src="http' not in html  # no script or image from another site
    assert f"/api/v1/calls/{released.call.slug}/report/?round=1" in html


def test_plotly_is_sent_compressed_under_half_a_megabyte_on_the_wire(page, released):
    client = page(released.board)
    url = f"/board/plotly-{PLOTLY_JS_VERSION}.min.js"
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"] == "application/javascript"
    assert "Accept-Encoding" in response["Vary"] and "immutable" in response["Cache-Control"]
    on_the_wire = b"".join(response.streaming_content)
    assert len(on_the_wire) < 500_000  # the full plotly.js is 4.85 MB, 1.46 MB gzipped
    bundle = gzip.decompress(on_the_wire)
    assert bundle == PLOTLY_BUNDLE.read_bytes()
    plain = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in plain
    assert b"".join(plain.streaming_content) == bundle
    assert client.get("/board/plotly-0.0.1.min.js").status_code == 404


def test_the_bundle_is_the_plotly_js_the_python_package_writes_figures_for():
    version = re.compile(r"plotly\.js(?: \(cartesian - minified\))? v(\d+\.\d+\.\d+)")
    shipped = version.search(get_plotlyjs()[:300]).group(1)
    bundle = version.search(PLOTLY_BUNDLE.read_text()[:300]).group(1)
    assert shipped == bundle == PLOTLY_JS_VERSION
    assert PLOTLY_BUNDLE.name.startswith("plotly-cartesian-")
    assert (Path(PLOTLY_BUNDLE).parent / "LICENSE").exists()


def test_an_entry_shows_every_jurors_scores_and_comments(page, released):
    entry = released.chosen[0]
    html = (
        page(released.board)
        .get(f"/board/calls/{released.call.slug}/entries/{entry.pk}/")
        .content.decode()
    )
    for sheet_juror in entry.assignments.values_list("juror__username", flat=True):
        assert f"Comment of {sheet_juror} on impact." in html
    assert "Solid work." in html
    assert entry.organization.name in html


def test_an_entry_outside_the_shortlist_is_not_found(page, released):
    other = next(e for e in released.entries if e not in released.chosen)
    response = page(released.board).get(f"/board/calls/{released.call.slug}/entries/{other.pk}/")
    assert response.status_code == 404


def test_a_decision_needs_a_rationale_and_is_then_recorded(page, released):
    entry = released.chosen[0]
    client = page(released.board)
    url = f"/board/calls/{released.call.slug}/entries/{entry.pk}/decision/"
    refused = client.post(url, {"decision": "awarded", "rationale": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    block = html[html.index('id="field-rationale"') :]
    assert "Required." in block[: block.index("</div>")]
    done = client.post(url, {"decision": "awarded", "rationale": "A model for the region."})
    assert done.status_code == 302
    decision = Decision.objects.get(submission=entry)
    assert decision.outcome == "awarded" and decision.decided_by == released.board
    entry.refresh_from_db()
    assert entry.status == "awarded"


def test_after_the_announcement_decisions_can_no_longer_change(page, released):
    entry = released.chosen[0]
    client = page(released.board)
    url = f"/board/calls/{released.call.slug}/entries/{entry.pk}/decision/"
    client.post(url, {"decision": "selected", "rationale": "Good."})
    released.call.announcement_at = timezone.now() - timedelta(minutes=1)
    released.call.save()
    response = client.post(url, {"decision": "not_selected", "rationale": "Changed our mind."})
    assert response.status_code == 409
    assert Decision.objects.get(submission=entry).outcome == "selected"
