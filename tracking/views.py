"""The public tracker of adopted items: every card, its stage and history.
Everything here is public; internal history rows (handoffs) are not shown."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from oasis.files import serve_media
from oasis.page_cache import cached_for_anonymous
from proposals import event_texts

from . import selectors
from .filters import CardFilter
from .models import AttachmentKind, CardAttachment, ManagementCard

PAGE_SIZE = 20


@cached_for_anonymous
def card_list(request):
    """Every adopted item, newest adoption first, filtered by GET parameters."""
    filterset = CardFilter(request.GET, queryset=selectors.public_cards())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@cached_for_anonymous
def card_detail(request, pk):
    try:
        card = selectors.card_for_detail(pk)
    except ManagementCard.DoesNotExist:
        raise Http404 from None
    history = list(selectors.public_history(card))
    event_texts.prepare(history)
    reports = list(selectors.submitted_reports(card).prefetch_related("photos"))
    # The card's own photos and documents; a report's photos show with it.
    attachments = list(card.attachments.filter(report__isnull=True))
    return render(
        request,
        "tracking/detail.html",
        {
            "card": card,
            "history": history,
            "reports": reports,
            "photos": [item for item in attachments if item.is_photo],
            "documents": [item for item in attachments if not item.is_photo],
        },
    )


def _public_attachment_or_404(pk, kind):
    """An attachment is served only while its card is public: the same rule
    as /adopted/<id>/ (the proposal is neither hidden nor trashed)."""
    return get_object_or_404(
        CardAttachment.objects.filter(
            kind=kind, card__in=ManagementCard.objects.filter(selectors.PUBLIC)
        ),
        pk=pk,
    )


def card_photo(request, pk, size):
    if size not in ("full", "thumb"):
        raise Http404
    item = _public_attachment_or_404(pk, AttachmentKind.PHOTO)
    return serve_media(item.thumbnail if size == "thumb" else item.image)


def card_file(request, pk):
    item = _public_attachment_or_404(pk, AttachmentKind.DOCUMENT)
    return serve_media(item.file, download_name=item.original_name)
