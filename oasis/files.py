"""Stored files that follow their transaction: written files go when the
write fails, removed files go once the removal is committed. Used by every
service that stores uploads (proposals, tracking)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction


def delete_files(names: Iterable[str]) -> None:
    """Remove the stored files `names` (empty names are skipped) from the
    default storage, now."""
    for name in names:
        if name:
            default_storage.delete(name)


@contextmanager
def files_removed_on_error() -> Iterator[list[str]]:
    """Yield a list for the names of stored files; if the block fails (and its
    transaction rolls back), the files go too, so nothing is half-saved."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        delete_files(written)
        raise


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Removed photos and files leave the disk too, once the removal is
    committed (a rolled-back removal keeps them)."""
    names = list(names)
    transaction.on_commit(lambda: delete_files(names))
