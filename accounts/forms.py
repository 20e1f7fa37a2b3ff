from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .districts import District
from .models import Gender, User
from .services import profile_update


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


class SignupProfileForm(ProfileFieldsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["district"].choices = [("", _("None / outside Seoul"))] + list(District.choices)

    def signup(self, request, user):
        profile_update(
            user=user,
            **{
                field: self.cleaned_data.get(field, "")
                for field in ("display_name", "nickname", "district")
            },
        )


class ProfileForm(forms.ModelForm):
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
