"""The secret world holds what the walkers look for: each secret is stored
somewhere (else a walk that finds none proves nothing about it)."""

from django.apps import apps
from django.db import models

from tests.privacy.world import PUBLIC, SECRETS


def _stored(marker: str) -> bool:
    """Is `marker` in some text column of some table?"""
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        query = models.Q()
        for name in text_fields:
            query |= models.Q(**{f"{name}__icontains": marker})
        if text_fields and model._default_manager.filter(query).exists():
            return True
    return False


def test_every_marker_is_stored(secret_world, db):
    markers = {**SECRETS, **PUBLIC}
    if secret_world.partner_key is None:  # the API has no keys yet
        markers = {name: m for name, m in markers.items() if not name.startswith("partner")}
    missing = [name for name, marker in markers.items() if not _stored(marker)]
    assert missing == []
