from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import legal
from .districts import District
from .models import ConsentVia, Gender, User
from .selectors import consented_items
from .services import consent_record, profile_update


def _birth_year_choices():
    this_year = timezone.localdate().year
    return [("", _("Prefer not to say"))] + [(y, str(y)) for y in range(this_year - 14, 1919, -1)]


# Names that would pass for someone else: staff, the portal itself, a
# withdrawn member, or a masked real name (홍*동).
RESERVED_NICKNAMES = {
    "탈퇴한회원",
    "withdrawnmember",
    "운영자",
    "관리자",
    "창의담당관",
    "오아시스",
    "oasis",
    "admin",
    "operator",
    "서울시",
    "시장",
}


def is_reserved_nickname(nickname: str) -> bool:
    compact = "".join(nickname.split()).lower()
    return "*" in compact or compact in RESERVED_NICKNAMES


class ProfileFieldsMixin(forms.Form):
    display_name = forms.CharField(
        label=_("Name"),
        max_length=30,
        required=False,
        help_text=_("Shown masked in public (홍*동) unless you choose a nickname."),
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=30,
        required=False,
        help_text=_("Optional. Shown in public instead of your masked name."),
    )

    def clean_nickname(self):
        nickname = self.cleaned_data.get("nickname", "").strip()
        if nickname and is_reserved_nickname(nickname):
            raise forms.ValidationError(
                _(
                    "This nickname could be mistaken for a masked name or for the staff. Please choose another."
                )
            )
        if nickname:
            others = User.objects.filter(nickname__iexact=nickname)
            if getattr(self, "instance", None) is not None and self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("This nickname is already taken."))
        return nickname


class ConsentFieldsMixin(forms.Form):
    """A consent box for each optional data item (accounts.legal.OPTIONAL_ITEMS),
    next to the item's own field when the form has one.

    A value typed for an item whose box is not ticked is refused with a
    message on the field rather than silently dropped: the member evidently
    meant to give it, and should decide (tick, or leave it empty) knowing it
    is not stored otherwise. Unticking the box of a value already stored is
    withdrawing the consent: the value is erased (by consent_record)."""

    def __init__(self, *args, consented: set[str] = frozenset(), items=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The optional items this form offers (all by default; a poll's page
        # asks only for the ones the poll needs).
        self.offered_items = tuple(
            item for item in legal.OPTIONAL_ITEMS if items is None or item.field in items
        )
        for item in self.offered_items:
            self.fields[f"consent_{item.field}"] = forms.BooleanField(
                label=_("I agree to the collection and use of my %(item)s (optional)")
                % {"item": str(item.label).lower()},
                required=False,
                initial=item.field in consented,
            )

    @property
    def optional_rows(self) -> list[dict]:
        """Each optional item with its consent box and its field (or None)."""
        return [
            {
                "item": item,
                "consent": self[f"consent_{item.field}"],
                "field": self[item.field] if item.field in self.fields else None,
            }
            for item in self.offered_items
        ]

    @property
    def consent_field_names(self) -> set[str]:
        names = {f"consent_{f}" for f in legal.OPTIONAL_FIELDS} | set(legal.OPTIONAL_FIELDS)
        return names | {"agree_terms", "agree_privacy"}

    def optional_items(self) -> set[str]:
        """The optional items the member allows, as ticked (of those offered)."""
        return {
            item.field
            for item in self.offered_items
            if self.cleaned_data.get(f"consent_{item.field}")
        }

    def _stored(self, field):
        instance = getattr(self, "instance", None)
        return getattr(instance, field) if instance is not None and instance.pk else None

    def clean(self):
        cleaned = super().clean()
        for item in self.offered_items:
            if item.field not in self.fields:
                continue
            value = cleaned.get(item.field)
            if value in ("", None) or cleaned.get(f"consent_{item.field}"):
                continue
            if value == self._stored(item.field):
                cleaned[item.field] = None if item.field == "birth_year" else ""
            else:
                self.add_error(
                    item.field,
                    _(
                        "You gave your %(item)s but did not agree to its collection. Tick the box to agree, or leave it empty."
                    )
                    % {"item": str(item.label).lower()},
                )
        return cleaned


class RequiredConsentMixin(forms.Form):
    """The two consents nobody can use the portal without."""

    required_items = legal.REQUIRED_ITEMS

    agree_terms = forms.BooleanField(
        label=_("I agree to the terms of use (required)"),
        error_messages={"required": _("Please agree to the terms of use to continue.")},
    )
    agree_privacy = forms.BooleanField(
        label=_("I agree to the collection and use of my e-mail address and name (required)"),
        error_messages={
            "required": _(
                "Please agree to the collection of your e-mail address and name to continue."
            )
        },
    )


class SignupProfileForm(RequiredConsentMixin, ConsentFieldsMixin, ProfileFieldsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS),
    also used by its social sign-up form: the name, the consents item by
    item, and the optional items, each stored only with its consent."""

    district = forms.ChoiceField(label=_("District"), required=False)
    birth_year = forms.TypedChoiceField(
        label=_("Birth year"), required=False, coerce=int, empty_value=None
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A name is one of the two required items (it is shown masked).
        self.fields["display_name"].required = True
        self.fields["district"].choices = [("", _("None / outside Seoul"))] + list(District.choices)
        self.fields["birth_year"].choices = _birth_year_choices()
        self.fields["gender"].choices = [("", _("Prefer not to say"))] + list(Gender.choices)

    def signup(self, request, user):
        optional = self.optional_items()
        social = getattr(self, "sociallogin", None) is not None
        consent_record(
            user=user,
            optional_items=optional,
            via=ConsentVia.SOCIAL_SIGNUP if social else ConsentVia.SIGNUP,
        )
        fields = {"display_name": self.cleaned_data.get("display_name", "")}
        fields["nickname"] = self.cleaned_data.get("nickname", "")
        fields.update({f: self.cleaned_data.get(f) for f in optional})
        profile_update(user=user, **fields)


class ConsentForm(RequiredConsentMixin, ConsentFieldsMixin):
    """Agreeing to the documents in force, for a member whose consent is to
    an older material version (or who has none: a social sign-up)."""


class ProfileForm(ConsentFieldsMixin, forms.ModelForm):
    birth_year = forms.TypedChoiceField(
        label=_("Birth year"), required=False, coerce=int, empty_value=None
    )

    class Meta:
        model = User
        fields = ["display_name", "nickname", "district", "birth_year", "gender", "language"]
        help_texts = {
            "display_name": _("Shown masked in public (홍*동) unless you choose a nickname."),
            "nickname": _("Optional. Shown in public instead of your masked name."),
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        kwargs.setdefault("consented", consented_items(instance) if instance else set())
        super().__init__(*args, **kwargs)
        self.fields["birth_year"].choices = _birth_year_choices()
        self.fields["birth_year"].help_text = _(
            "Optional. Used only to invite you to polls for your age group."
        )
        self.fields["gender"].help_text = _("Optional. Used only for polls aimed at a group.")
        self.fields["district"].help_text = _("Optional. Your district's news and polls.")
        # The same plain first choice as on the sign-up form, not "---------".
        self.fields["district"].choices = [("", _("None / outside Seoul"))] + list(District.choices)
        self.fields["gender"].choices = [("", _("Prefer not to say"))] + list(Gender.choices)
        self.fields["language"].required = False
        self.fields["language"].help_text = _("The language of the e-mails Oasis sends you.")

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or "ko"

    clean_nickname = ProfileFieldsMixin.clean_nickname


class OptionalItemsForm(ConsentFieldsMixin, forms.ModelForm):
    """Some optional items alone (`items`), each beside its consent box: what
    a city poll asks a member for when it needs an item they have not given
    (polls:details_needed). The same consent rules as the profile's form;
    and since the member is here to give the items, a ticked box needs its
    value, and a form sent with nothing is refused rather than saved empty."""

    birth_year = forms.TypedChoiceField(
        label=_("Birth year"), required=False, coerce=int, empty_value=None
    )

    class Meta:
        model = User
        fields = list(legal.OPTIONAL_FIELDS)

    def __init__(self, *args, items, **kwargs):
        instance = kwargs["instance"]
        kwargs.setdefault("consented", consented_items(instance))
        super().__init__(*args, items=items, **kwargs)
        for name in legal.OPTIONAL_FIELDS:
            if name not in items:
                del self.fields[name]
        choices = {
            "district": [("", _("Choose your district"))] + list(District.choices),
            "birth_year": [("", _("Choose your birth year"))] + _birth_year_choices()[1:],
            "gender": [("", _("Choose your gender"))] + list(Gender.choices),
        }
        for name in self.fields.keys() & choices.keys():
            self.fields[name].choices = choices[name]

    def clean(self):
        cleaned = super().clean()
        given = False
        for item in self.offered_items:
            value = cleaned.get(item.field)
            ticked = cleaned.get(f"consent_{item.field}")
            given = given or ticked or value not in ("", None)
            if ticked and value in ("", None) and item.field not in self.errors:
                self.add_error(
                    item.field,
                    _("Give your %(item)s, or untick its box.") % {"item": str(item.label).lower()},
                )
        if not given:
            raise forms.ValidationError(
                _("Nothing to save: give an item and tick its box, or go back to the poll.")
            )
        return cleaned

    def consent_after(self, consented: set[str]) -> set[str]:
        """Every optional item the member allows once this form is saved: the
        items it offered as ticked, the others as they were (`consented`)."""
        offered = {item.field for item in self.offered_items}
        return (set(consented) - offered) | self.optional_items()

    def profile_fields(self) -> dict:
        return {
            name: self.cleaned_data.get(name) for name in self.Meta.fields if name in self.fields
        }


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: my account is closed for good. My proposals and comments stay, shown as written by a withdrawn member."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # Members who only ever logged in with Kakao, Naver or Google have no password.
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
