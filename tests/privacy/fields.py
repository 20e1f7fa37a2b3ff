"""Every field name the API and the bulk files may use, each with why it is
public. A field added later that is not here fails the walk until someone
has looked at it and written its line: that is what "a test walks every
field" means. A name is allowed everywhere it appears (an `id` of a proposal
and of a poll alike); the values check (no secret marker anywhere) covers
what a name alone cannot.

FORBIDDEN names what must never be added here, whatever it is called in a
new endpoint: personal data and internal notes."""

ALLOWED = {
    # Shapes shared by every endpoint.
    "id": "the object's own public number, as in its page's address",
    "code": "a choice's stable code (api.base.CodeLabelField)",
    "label": "a choice's label in the reader's language",
    "count": "how many rows a list has in all (pagination)",
    "next": "the address of the next page",
    "previous": "the address of the previous page",
    "results": "the rows of one page",
    "detail": "an error's message in the reader's language",
    "url": "the object's public page or API address",
}

FORBIDDEN = {
    "email": "a member's or official's e-mail",
    "display_name": "a member's or official's name",
    "name_of_author": "a member's name",
    "nickname": "a member's nickname",
    "author": "which member wrote it (even as an id)",
    "author_id": "which member wrote it",
    "user": "which member did it",
    "user_id": "which member did it",
    "member": "which member did it",
    "member_id": "which member did it",
    "voter": "who voted",
    "reporter": "who reported",
    "actor": "which person acted (a role or department may be given)",
    "actor_id": "which person acted",
    "official": "an official's name or id (departments by code instead)",
    "expert": "an expert's name or id",
    "birth_year": "a member's birth year",
    "gender": "a member's gender",
    "age_band": "a member's age band",
    "hidden_reason": "why operators hid it",
    "is_hidden": "hidden things are not in the data at all",
    "return_reason": "why an answer or amendment was sent back",
    "notes": "internal notes",
    "note": "a person's internal note (card handoffs)",
    "ip": "an address a request came from",
    "key": "a partner's API key",
    "password": "a password",
}
