"""The pages, one namespace per role: city, juror, secretariat, board."""

from django.urls import include, path

from .views import accounts, board, city, deliberation, imports, juror, public, secretariat
from .views.secretariat import (
    assignment,
    calls,
    deadlines,
    eligibility,
    extra_reviews,
    messages,
    progress,
    results,
    rounds,
    rubric,
)
from .views.secretariat import jury as jury_setup

city_patterns = [
    path("", city.home, name="home"),
    path("calls/<slug:slug>/new/", city.new_entry, name="new"),
    path("entries/<int:pk>/", city.entry, name="entry"),
    path("entries/<int:pk>/upload/", city.upload, name="upload"),
    path(
        "entries/<int:pk>/files/<int:attachment_pk>/remove/",
        city.remove_file,
        name="remove-file",
    ),
    path("entries/<int:pk>/submit/", city.submit, name="submit"),
    path("entries/<int:pk>/receipt/", city.receipt, name="receipt"),
    path("entries/<int:pk>/withdraw/", city.withdraw, name="withdraw"),
]

juror_patterns = [
    path("", juror.home, name="home"),
    path("assignments/<int:pk>/", juror.assignment, name="assignment"),
    path("assignments/<int:pk>/decline/", juror.decline, name="decline"),
    path("assignments/<int:pk>/conflict/", juror.conflict, name="conflict"),
    path("assignments/<int:pk>/discussion/", deliberation.juror_post, name="discussion"),
]

secretariat_patterns = [
    path("", secretariat.home, name="home"),
    path("reminders/", progress.send_reminders, name="reminders"),
    path("imports/", imports.imports, name="imports"),
    path("imports/apply/", imports.apply, name="import-apply"),
    path("calls/new/", calls.call_new, name="call-new"),
    path("calls/<slug:slug>/", calls.call, name="call"),
    path("calls/<slug:slug>/edit/", calls.call_edit, name="call-edit"),
    path("calls/<slug:slug>/extend/", deadlines.extend, name="extend"),
    path("calls/<slug:slug>/eligibility/", eligibility.eligibility, name="eligibility"),
    path("calls/<slug:slug>/assignment/", assignment.assignment, name="assignment"),
    path("calls/<slug:slug>/progress/", progress.progress_page, name="progress"),
    path("calls/<slug:slug>/results/", results.results_page, name="results"),
    path("calls/<slug:slug>/shortlist/", results.shortlist, name="shortlist"),
    path("calls/<slug:slug>/release/", results.release, name="release"),
    path("calls/<slug:slug>/to-discuss/", deliberation.to_discuss_page, name="to-discuss"),
    path(
        "calls/<slug:slug>/to-discuss/<int:pk>/",
        deliberation.discussion_page,
        name="discussion",
    ),
    path("calls/<slug:slug>/messages/", messages.compose, name="messages"),
    path(
        "calls/<slug:slug>/extra-reviews/", extra_reviews.extra_reviews_page, name="extra-reviews"
    ),
    path("entries/<int:pk>/", eligibility.entry, name="entry"),
    # The call's set-up: rounds, each round's rubric, the jury.
    path("calls/<slug:slug>/rounds/new/", rounds.round_new, name="round-new"),
    path("calls/<slug:slug>/rounds/<int:number>/", rounds.round_edit, name="round-edit"),
    path("calls/<slug:slug>/rounds/<int:number>/rubric/", rubric.rubric, name="rubric"),
    path("calls/<slug:slug>/jury/", jury_setup.jury, name="jury"),
    path("calls/<slug:slug>/jury/chair/", jury_setup.chair, name="jury-chair"),
    path("calls/<slug:slug>/jury/<int:juror>/", jury_setup.seat, name="jury-seat"),
    path("calls/<slug:slug>/jury/<int:juror>/unseat/", jury_setup.unseat, name="jury-unseat"),
]

board_patterns = [
    path("", board.home, name="home"),
    path("plotly-<str:version>.min.js", board.plotly_js, name="plotly-js"),
    path("calls/<slug:slug>/", board.call, name="call"),
    path("calls/<slug:slug>/entries/<int:pk>/", board.entry, name="entry"),
    path("calls/<slug:slug>/entries/<int:pk>/decision/", board.decide, name="decide"),
]

urlpatterns = [
    path("", accounts.home, name="home"),
    path("city/", include((city_patterns, "city"))),
    path("juror/", include((juror_patterns, "juror"))),
    path("secretariat/", include((secretariat_patterns, "secretariat"))),
    path("board/", include((board_patterns, "board"))),
    # Public, no sign-in: each call's winners once its decisions are announced.
    path("winners/", public.winners_index, name="winners"),
    path("winners/<slug:slug>/", public.winners, name="winners-call"),
]
