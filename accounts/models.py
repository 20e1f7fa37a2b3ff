from django.contrib.auth.models import AbstractUser, UserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from oasis.i18n import in_page_language

from .districts import District
from .grades import Grade
from .legal import OPTIONAL_FIELDS
from .names import public_name_for
from .roles import Role


def institution_logo_path(instance, filename):
    return f"institutions/{instance.slug}/{filename}"


class Institution(models.Model):
    """A partner institution (기관협력, issue 16), e.g. 서울시설공단: it shares
    the platform with the city and has its own space at /org/<slug>/, its own
    administrators (members with `institution` set and the institution admin
    role), departments, categories, branding and thresholds. Proposals,
    categories, departments and polls with no institution are the city's."""

    slug = models.SlugField(
        _("address name"),
        max_length=40,
        unique=True,
        help_text=_("Used in its address: /org/<address name>/. Letters, digits and hyphens."),
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    short_name = models.CharField(
        _("short name"), max_length=20, blank=True, help_text=_("Shown as the label on lists.")
    )
    description = models.TextField(_("introduction"), max_length=2000, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=institution_logo_path, blank=True)
    # Branding: the space's accent colour, as #rrggbb (checked by the admin
    # form for contrast against white text).
    brand_color = models.CharField(_("brand colour"), max_length=7, default="#1f5fa8")
    # Thresholds: empty means the city's (proposals.PipelineSettings).
    answer_threshold = models.PositiveIntegerField(
        _("endorsements for an answer"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the city's."),
    )
    debate_threshold = models.PositiveIntegerField(
        _("endorsements for a debate"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the city's."),
    )
    is_active = models.BooleanField(
        _("open"), default=True, help_text=_("A closed institution takes no new proposals.")
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)

    @property
    def short_label(self) -> str:
        return self.short_name or self.label


class Department(models.Model):
    """A department that answers proposals and keeps adopted items: the
    city's, or a partner institution's (`institution`)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    email = models.EmailField(_("department e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The department head (부서장) may hand the department's adopted items
    # from one official to another, as the operator may. An official of this
    # department; checked by the admin form and again by the rules.
    head = models.ForeignKey(
        "User",
        verbose_name=_("department head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        help_text=_(
            "An official of this department. May hand its adopted items to another official."
        ),
    )
    # Empty: a city department. Set: a partner institution's own department,
    # whose officials see only their institution's work.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    # The name in the page's language: admin filters, choices and lists
    # print a department or category through str().
    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_page_language(self.name, self.name_en)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class OasisUserManager(UserManager):
    """Users log in with their e-mail; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member. Personal data is kept to what the portal needs: a name for
    display (masked in public unless a nickname is chosen), an optional district,
    birth year and gender used to target polls."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=30, blank=True)
    nickname = models.CharField(
        _("nickname"),
        max_length=30,
        blank=True,
        help_text=_("Shown in public instead of your masked name."),
    )
    district = models.CharField(_("district"), max_length=20, choices=District.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # The partner institution this member works for (its administrators;
    # an institution's officials also have it through their department).
    # Empty for the city's staff and for citizens.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    language = models.CharField(
        _("language for e-mails"),
        max_length=5,
        choices=[("ko", "한국어"), ("en", "English")],
        default="ko",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The mileage balance (the sum of the member's mileage.MileageEntry rows)
    # and the grade it reaches, kept by mileage's services in the same
    # transaction as the entries, so a name shows its grade without a query.
    mileage_balance = models.IntegerField(_("mileage"), default=0, db_default=0, editable=False)
    mileage_grade = models.PositiveSmallIntegerField(
        _("grade"), choices=Grade.choices, default=Grade.SEED, db_default=Grade.SEED, editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = OasisUserManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            # The all-time ranking reads the highest balances.
            models.Index(fields=["-mileage_balance"], name="accounts_user_mileage_rank"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("nickname"),
                condition=~models.Q(nickname=""),
                name="accounts_user_nickname_unique_ci",
                violation_error_message=_("This nickname is already taken."),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="accounts_user_birth_year_range",
            ),
        ]

    def __str__(self):
        return self.public_name

    # There are no first/last name fields; Django's admin (the change log)
    # asks for these, and would show "None None".
    def get_full_name(self) -> str:
        return self.display_name.strip() or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()

    @property
    def public_name(self) -> str:
        """The name shown to everyone: the nickname if chosen, else the masked name."""
        return public_name_for(self)

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names


class SubmittedForm(models.Model):
    """A create form (a proposal, a comment, an argument) that was sent and
    did its work, by the one-time token the page put in it. The same page sent
    again (a double click, a browser retry, a second tab) finds this row and
    is shown what the first made instead of making a second. Written in the
    same transaction as what the form made (accounts.once.create_once); kept
    a day (purged by beat)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token"], name="accounts_submittedform_once_per_token"
            )
        ]

    def __str__(self):
        return f"{self.user_id}:{self.token}"


class ConsentVia(models.TextChoices):
    SIGNUP = "signup", _("Sign-up")
    SOCIAL_SIGNUP = "social_signup", _("Sign-up with another service")
    RECONSENT = "reconsent", _("Agreeing to a new version")
    PROFILE = "profile", _("Profile page")
    # A city poll that reads an item the member had not given asks for it.
    POLL = "poll", _("A city poll's request")


class ConsentRecord(models.Model):
    """One consent as the member gave it: the versions of the terms and the
    privacy policy they agreed to, which optional items they allowed, when
    and where. Never changed: a later decision (a new version, an optional
    item given or withdrawn on the profile page) adds a row, so the history
    shows what the member agreed to at any time. The newest row is in force."""

    user = models.ForeignKey(
        User, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents"
    )
    terms_version = models.CharField(_("terms version"), max_length=20)
    privacy_version = models.CharField(_("privacy policy version"), max_length=20)
    district = models.BooleanField(_("district"), default=False)
    birth_year = models.BooleanField(_("birth year"), default=False)
    gender = models.BooleanField(_("gender"), default=False)
    via = models.CharField(_("given on"), max_length=20, choices=ConsentVia.choices)
    created_at = models.DateTimeField(_("given at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["user", "-created_at"], name="consent_user_latest")]

    def __str__(self):
        return f"{self.user_id} {self.terms_version}/{self.privacy_version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A consent record is never changed; record a new one.")
        super().save(*args, **kwargs)

    @property
    def optional_items(self) -> set[str]:
        return {field for field in OPTIONAL_FIELDS if getattr(self, field)}


class AccessAction(models.TextChoices):
    LIST = "list", _("Listed members")
    SEARCH = "search", _("Searched members")
    VIEW = "view", _("Viewed a member")
    EXPORT = "export", _("Exported member data")


class AccessRecord(models.Model):
    """개인정보 접속기록: who among the staff saw or took members' personal
    data in the admin, when, from where, what they did and whose data it was
    (PIPA safety-measures standard, art. 8). Written by
    `access_records.access_record_write`, read-only for everyone, deleted
    only by the purge once OASIS_ACCESS_RECORD_RETENTION_DAYS have passed."""

    staff = models.ForeignKey(
        User,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # As it was at the time, should the account later change or close.
    staff_email = models.CharField(_("staff e-mail"), max_length=254)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    # The members whose data was shown or taken (ids), and the search or
    # filters that chose them.
    member_ids = models.JSONField(_("members"), default=list, blank=True)
    query = models.CharField(_("search and filters"), max_length=500, blank=True)
    path = models.CharField(_("address"), max_length=500)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal data access record")
        verbose_name_plural = _("personal data access records")

    def __str__(self):
        return f"{self.staff_email} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An access record is never changed.")
        super().save(*args, **kwargs)


class AuditRecordQuerySet(models.QuerySet):
    """Audit rows are only ever added: a bulk delete through the ORM is
    refused as a programming error, as `save()` of an existing row is. (A bulk
    update is left to Django, which uses it to empty `actor` should an account
    ever be deleted; the e-mail at the time stays.)"""

    def delete(self):
        raise ValueError("Audit records are never deleted.")


class AuditRecord(models.Model):
    """One thing a staff member did that changes how the portal works or who
    may do what in it: a bar of the pipeline changed, a proposal assigned or
    moved by hand, a role granted. Written by `accounts.audit.audit_record`
    in the same transaction as the change; never changed or deleted.

    The row stores a code (`action`) and its parameters (ids, codes, numbers,
    never a sentence), so it is read in the reader's language
    (`accounts.audit.describe`)."""

    actor = models.ForeignKey(
        User,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # As it was at the time, should the account later change or close.
    actor_email = models.CharField(_("staff e-mail"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    # What the target was called at the time: shown if it is later deleted.
    target_repr = models.CharField(_("target"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self):
        return f"{self.actor_email} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An audit record is never changed; record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An audit record is never deleted.")


class StaffMember(User):
    """Members as the operators' staff screen (직원 관리, accounts/staff_admin.py)
    lists and changes them: the same rows, a list and pages of their own."""

    class Meta:
        proxy = True
        verbose_name = _("staff member")
        verbose_name_plural = _("Staff")
