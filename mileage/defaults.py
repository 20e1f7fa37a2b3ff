"""The amounts and daily caps a fresh portal starts with (README, "Mileage"),
written by the data migration and by `ensure_defaults` (tests whose database
was flushed). Operators change them in the admin."""

# action → (points, daily cap in points; 0 = no cap)
DEFAULT_RULES = {
    "signup": (10, 0),
    "propose": (10, 50),
    "comment": (2, 20),
    "endorse": (1, 20),
    "endorsed": (1, 100),
    "answered": (20, 0),
    "debated": (50, 0),
    "debate_argument": (2, 10),
    "meeting": (100, 0),
    "adopted": (300, 0),
    "rate_answer": (5, 0),
    "panel_rating": (5, 50),
    "poll_vote": (5, 0),
}


def ensure_defaults(apps=None) -> None:
    """Create the rule rows that are missing (existing ones keep the
    operator's values) and the settings row. Idempotent; works with a
    migration's historical `apps`."""
    if apps is None:
        from django.apps import apps
    MileageRule = apps.get_model("mileage", "MileageRule")
    MileageSettings = apps.get_model("mileage", "MileageSettings")
    for action, (points, cap) in DEFAULT_RULES.items():
        MileageRule.objects.get_or_create(
            action=action, defaults={"points": points, "daily_cap": cap}
        )
    MileageSettings.objects.get_or_create(pk=1)
