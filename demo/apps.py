from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world (`seed_demo`, `print_demo_logins`). The top floor: it
    may import every app, and no app imports it. It has no models and no
    screens, so its name is not translated."""

    name = "demo"
    verbose_name = "Demo"
