from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import models


class Region(models.TextChoices):
    AFRICA = "africa", "Africa"
    ASIA_PACIFIC = "asia_pacific", "Asia-Pacific"
    EUROPE = "europe", "Europe"
    LATIN_AMERICA = "latin_america", "Latin America & Caribbean"
    MIDDLE_EAST = "middle_east", "Middle East"
    NORTH_AMERICA = "north_america", "North America"


class Organization(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        PARTNER = "partner", "Partner"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    city = models.CharField(max_length=120)
    country = models.CharField(max_length=120)
    region = models.CharField(max_length=20, choices=Region.choices)
    dues_paid_through = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Last year whose membership dues are paid."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CITY_CONTACT = "city_contact", "City contact"
    SECRETARIAT = "secretariat", "Secretariat"
    JUROR = "juror", "Juror"
    BOARD = "board", "Board member"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CITY_CONTACT)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="The organization a city contact speaks for, or a juror's affiliation.",
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        choices=[("en", "English"), ("fr", "Français"), ("es", "Español")],
        help_text="The language of the emails to this person: the last one chosen on the pages.",
    )

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        """How the platform names a person in pages and mail: their full name, else the user
        name."""
        return self.get_full_name() or self.username

    # A new password (or none) ends every way in that the old one opened: the sessions follow
    # the password through Django's session hash; the API tokens are deleted here, on save, so
    # that every path (the API, the admin, the reset page) does it.
    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._credentials_changed = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._credentials_changed = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        changed = getattr(self, "_credentials_changed", False) and (
            fields is None or "password" in fields
        )
        super().save(*args, **kwargs)
        if changed:
            self._credentials_changed = False
            apps.get_model("authtoken", "Token").objects.filter(user=self).delete()

    @property
    def is_secretariat(self) -> bool:
        return self.is_superuser or self.role == Role.SECRETARIAT

    @property
    def is_city_contact(self) -> bool:
        return self.role == Role.CITY_CONTACT

    @property
    def is_juror(self) -> bool:
        return self.role == Role.JUROR

    @property
    def is_board(self) -> bool:
        return self.role == Role.BOARD
