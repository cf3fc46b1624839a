"""Demo jury of the 2014 Award: eight international experts, juror1 in the chair."""

from submissions.demo.seed import AWARD_THEMES, demo_user
from submissions.models import Role, User

from .models import JurorProfile, JuryMember
from .services import detect_conflicts

JURORS = [
    (
        "juror1",
        "Amal Haddad",
        "LSE Cities, London School of Economics",
        "London",
        "United Kingdom",
        ["Governance", "Urban equity"],
    ),
    (
        "juror2",
        "Camilo Restrepo",
        "Universidad Nacional de Colombia",
        "Bogotá",
        "Colombia",
        ["Urban mobility", "Urban equity"],
    ),
    (
        "juror3",
        "Ji-won Park",
        "The Seoul Institute",
        "Seoul",
        "South Korea",
        ["Governance", "Environment"],
    ),
    (
        "juror4",
        "Grace Wanjiru",
        "UN-Habitat",
        "Nairobi",
        "Kenya",
        ["Social inclusion", "Urban equity"],
    ),
    (
        "juror5",
        "Claire Moreau",
        "Sciences Po Urban School",
        "Paris",
        "France",
        ["Urban mobility", "Governance"],
    ),
    (
        "juror6",
        "Thabo Nkosi",
        "University of the Witwatersrand",
        "Johannesburg",
        "South Africa",
        ["Social inclusion", "Environment"],
    ),
    (
        "juror7",
        "Lin Wei",
        "Tongji University",
        "Shanghai",
        "China",
        ["Environment", "Urban mobility"],
    ),
    (
        "juror8",
        "Núria Puig",
        "Kreanta Foundation",
        "Barcelona",
        "Spain",
        ["Social inclusion", "Governance"],
    ),
]


# Expertise among the Initiatives' five themes.
INITIATIVE_EXPERTISE = {
    "juror1": ["Governance"],
    "juror2": ["Urban economy", "Social inclusion"],
    "juror3": ["Urban innovation"],
    "juror4": ["Social inclusion"],
    "juror5": ["Governance", "Urban innovation"],
    "juror6": ["Sustainability"],
    "juror7": ["Sustainability", "Urban economy"],
    "juror8": ["Social inclusion"],
}


def seed(data: dict) -> None:
    award = data["calls"]["award"]
    for username, name, affiliation, city, country, expertise in JURORS:
        first, last = name.split(" ", 1)
        juror = demo_user(
            username, Role.JUROR, first_name=first, last_name=last, email=f"{username}@example.org"
        )
        JurorProfile.objects.update_or_create(
            user=juror, defaults={"affiliation": affiliation, "city": city, "country": country}
        )
        JuryMember.objects.get_or_create(
            call=award,
            juror=juror,
            defaults={
                "is_chair": username == "juror1",
                "expertise": [t for t in expertise if t in AWARD_THEMES],
            },
        )
    detect_conflicts(award)
    initiatives = data["calls"]["initiatives"]
    for username, *_ in JURORS:
        JuryMember.objects.get_or_create(
            call=initiatives,
            juror=User.objects.get(username=username),
            defaults={
                "is_chair": username == "juror5",
                "expertise": list(INITIATIVE_EXPERTISE.get(username, [])),
            },
        )
    detect_conflicts(initiatives)
