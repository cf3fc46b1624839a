"""Demo rounds of the 2014 Award."""

from datetime import datetime

from submissions.demo.seed import MADRID

from .models import Round


def seed(data: dict) -> None:
    award = data["calls"]["award"]
    Round.objects.get_or_create(
        call=award,
        number=1,
        defaults={
            "name": "First round",
            "jury_deadline": datetime(2014, 7, 15, 23, 59, tzinfo=MADRID),
        },
    )
