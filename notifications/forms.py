from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailMode, NoticeTopic
from .preferences import ALWAYS_IN_SITE, all_preferences, topics_for


class PreferencesForm(forms.Form):
    """One row per topic the member chooses for: shown in the site (a box;
    fixed on for staff work) and how its e-mail comes (radios)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.topics = topics_for(user)
        current = all_preferences(user)
        for topic in self.topics:
            preference = current[topic]
            label = NoticeTopic(topic).label
            self.fields[f"{topic}-in_site"] = forms.BooleanField(
                label=_("Show in the site"),
                required=False,
                initial=preference.in_site,
                disabled=topic in ALWAYS_IN_SITE,
            )
            self.fields[f"{topic}-email"] = forms.ChoiceField(
                label=label,
                choices=EmailMode.choices,
                initial=preference.email,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how e-mails about this come.")},
            )

    def rows(self):
        """(topic label, in-site field, e-mail field) for the table."""
        return [
            {
                "topic": topic,
                "label": NoticeTopic(topic).label,
                "fixed": topic in ALWAYS_IN_SITE,
                "in_site": self[f"{topic}-in_site"],
                "email": self[f"{topic}-email"],
            }
            for topic in self.topics
        ]

    def changes(self) -> dict:
        return {
            topic: {
                "in_site": self.cleaned_data[f"{topic}-in_site"],
                "email": self.cleaned_data[f"{topic}-email"],
            }
            for topic in self.topics
        }
