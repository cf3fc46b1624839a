from django.urls import path

from . import deliberation

ENTRY = "calls/<slug:slug>/rounds/<int:number>/entries/<int:submission_pk>/"

urlpatterns = [
    path(f"{ENTRY}posts/", deliberation.ThreadView.as_view(), name="entry-discussion"),
    path(f"{ENTRY}consensus/", deliberation.ConsensusView.as_view(), name="entry-consensus"),
    path(
        "calls/<slug:slug>/rounds/<int:number>/to-discuss/",
        deliberation.AgendaView.as_view(),
        name="round-to-discuss",
    ),
]
