"""What a realization meeting's decision sets off in the stages after it.

`item_adopted` is sent by `meetings.services.agenda_item_decide` inside its
transaction, once per adopted item (keyword: `agenda_item`). The conductor
(pipeline/apps.py) connects tracking's management card opening to it, so the
card is written in the same transaction as the decision, and meetings never
imports the tracking app that sits above it."""

from django.dispatch import Signal

item_adopted = Signal()
