"""Thin views: forms check shape, services apply the rules, errors become a
message on the page."""

import ipaddress

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.member_home import member_sections
from accounts.once import AlreadySubmitted, create_once
from oasis.errors import ServiceError
from oasis.files import serve_media
from oasis.forms import add_service_errors
from oasis.http import client_ip
from oasis.page_cache import cached_for_anonymous
from oasis.pagination import CappedPaginator
from oasis.ratelimits import rate_limited

from . import merging, selectors, services
from . import rules as proposal_rules
from .filters import ProposalFilter
from .forms import CommentForm, ProposalEditForm, ProposalForm, ReasonForm, ReportForm
from .front_page import front_sections
from .models import (
    Comment,
    EndorsementCarry,
    Proposal,
    ProposalAttachment,
    ProposalPhoto,
    ProposalStatus,
    ReportReason,
)
from .uploads import photo_allowance_check

PAGE_SIZE = 20

# The proposal fields an endorsement reads (proposals.rules.endorse_refusal,
# is_gathering_endorsements, the count returned).
ENDORSE_READS = (
    "author_id",
    "status",
    "is_hidden",
    "deleted_at",
    "endorsement_deadline",
    "endorsement_count",
)


@cached_for_anonymous
def home(request):
    """The front page: latest and most endorsed proposals, and the sections
    the apps above register (proposals.front_page): the statistics' headline
    figures and next meeting, the open themed calls, the open city polls."""
    return render(
        request,
        "home.html",
        {
            "latest": selectors.proposal_list().order_by("-created_at", "-id")[:6],
            "popular": selectors.proposal_list()
            .filter(status=ProposalStatus.OPEN)
            .order_by("-endorsement_count", "-id")[:6],
            "front_sections": front_sections(),
        },
    )


def proposal_list_context(request, *, institution=None) -> dict:
    """The public proposal list with its filters: the city-wide list, or,
    given `institution`, one partner institution's (its space's list,
    /org/<slug>/proposals/, the same list with the addressee fixed)."""
    queryset = selectors.with_endorsed_flag(selectors.proposal_list(), request.user)
    filterset = ProposalFilter(request.GET, queryset=queryset, institution=institution)
    # A search is not counted: a common word matches most proposals, and
    # counting them reads every match. Its pages say "more than" until the last.
    searching = bool(filterset.form.is_valid() and filterset.form.cleaned_data.get("q"))
    paginator = CappedPaginator(filterset.qs, PAGE_SIZE, cap=0 if searching else None)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page, "query": query.urlencode()}


@cached_for_anonymous
def proposal_list(request):
    return render(request, "proposals/list.html", proposal_list_context(request))


def _visitor_key(request) -> str:
    """Who a view is counted for, once a day: a member by their id, and any
    visitor who is not logged in by their address (an IPv6 address by its /64,
    the block one household or phone is given). Nothing the client chooses
    freely goes in: a new browser name (User-Agent) or a fresh cookie jar is
    still the same visitor, so a script cannot raise the count by changing
    them. The price is that visitors behind one shared address (an office, a
    café, a carrier's NAT) who are not logged in count as one a day. Only a
    keyed hash is stored, never the address (and not one that could be
    brute-forced back from the 2³² IPv4 addresses)."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return _address_key(request)


def _address_key(request) -> str:
    """The key of a visitor who is not logged in: their address (see _visitor_key)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        network = (
            str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
        )
    return "a" + salted_hmac("proposals.view-count", network).hexdigest()[:40]


def _count_cached_view(request, pk):
    """A reader who is not logged in was answered from the page cache: the
    view below did not run, so its view is noted for counting (exactness and
    delay in services.proposal_note_view)."""
    services.proposal_note_view(proposal_id=pk, visitor=_address_key(request))


@cached_for_anonymous(on_hit=_count_cached_view)
def proposal_detail(request, pk):
    try:
        proposal = selectors.proposal_for_detail(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    user = request.user
    # Asked with the proposal: an institution's administrators moderate
    # (and read hidden content of) their institution's proposals only.
    can_moderate = rules.has_perm("proposals.moderate", user, proposal)
    if not proposal.is_hidden or can_moderate:
        if services.proposal_count_view(proposal=proposal, visitor=_visitor_key(request)):
            proposal.view_count += 1
    is_author = proposal_rules.is_proposal_author(user, proposal)
    return render(
        request,
        "proposals/detail.html",
        {
            "show_content": rules.has_perm("proposals.read_content", user, proposal),
            "endorsable": proposal_rules.is_gathering_endorsements(proposal),
            "report_reasons": ReportReason.choices,
            "proposal": proposal,
            "timeline": selectors.proposal_timeline(proposal),
            "comments": selectors.proposal_comments_page(proposal, request.GET.get("comments")),
            "endorsed": selectors.has_endorsed(proposal, user),
            "following": selectors.is_following(proposal, user),
            "can_promote": rules.has_perm("proposals.promote_by_hand", user, proposal),
            "comment_form": CommentForm(),
            "can_moderate": can_moderate,
            "is_author": is_author,
            "can_edit": rules.has_perm("proposals.edit_proposal", user, proposal),
            "can_withdraw": rules.has_perm("proposals.withdraw_proposal", user, proposal),
            # The author's own button; an operator trashes from the admin.
            "can_trash": is_author and rules.has_perm("proposals.trash_proposal", user, proposal),
            "can_endorse": rules.has_perm("proposals.endorse_proposal", user, proposal),
        },
    )


def _visible_proposal_or_404(request, proposal):
    """Media follows its proposal: gone with the trash, hidden with it
    (operators still see it)."""
    if proposal.deleted_at or (
        proposal.is_hidden and not rules.has_perm("proposals.moderate", request.user, proposal)
    ):
        raise Http404


def proposal_photo(request, pk, size):
    if size not in ("full", "thumb"):
        raise Http404
    photo = get_object_or_404(ProposalPhoto.objects.select_related("proposal"), pk=pk)
    _visible_proposal_or_404(request, photo.proposal)
    return serve_media(photo.thumbnail if size == "thumb" else photo.image)


def proposal_attachment(request, pk):
    item = get_object_or_404(ProposalAttachment.objects.select_related("proposal"), pk=pk)
    _visible_proposal_or_404(request, item.proposal)
    return serve_media(item.file, download_name=item.original_name)


# Photos a member may send in an hour, over all their proposals and edits,
# and photos one address may send (several accounts): each costs the web
# worker a decode (proposals/uploads.py bounds one request; this bounds a
# member), so that no member holds more than a small share of the workers.
# The allowances are OASIS_RATE_LIMITS["photos"] (oasis/settings/limits.py).


def _already_sent(request, done: AlreadySubmitted):
    """The same page sent again (a double click, a retry): show what the
    first sending made."""
    messages.info(request, _("This form was already sent; here is what it made."))
    return redirect(done.url)


@login_required
@rate_limited("propose")
def proposal_create(request):
    # ?institution=<slug> (the space's "propose" link) preselects the addressee.
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        initial={"institution": request.GET.get("institution", "")[:40]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():
            photo_allowance_check(request, data["photos"])
            return services.proposal_create(
                author=request.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                district=data["district"],
                tag_names=data["tags"],
                photos=data["photos"],
                files=data["files"],
                institution=data["institution"],
            )

        try:
            proposal = create_once(
                user=request.user,
                token=data["submission_token"],
                create=create,
                url_of=lambda made: made.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return _already_sent(request, done)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your proposal is published. Thank you!"))
            return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "editing": False})


def _own_proposal(request, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
    if not proposal_rules.is_proposal_author(request.user, proposal):
        raise Http404  # someone else's proposal: as if it were not there to edit
    return proposal


@login_required
@rate_limited("edit_proposal")
def proposal_edit(request, pk):
    proposal = _own_proposal(request, pk)
    if refusal := proposal_rules.edit_refusal(proposal):
        messages.error(request, refusal)
        return redirect(proposal)
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category,
        "district": proposal.district,
        "tags": ", ".join(t.name for t in proposal.tags.all()),
    }
    form = ProposalEditForm(
        request.POST or None, request.FILES or None, initial=initial, proposal=proposal
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            photo_allowance_check(request, data["photos"])
            services.proposal_update(
                proposal=proposal,
                user=request.user,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                district=data["district"],
                tag_names=data["tags"],
                photos=data["photos"],
                files=data["files"],
                remove_photo_ids=data["remove_photos"],
                remove_file_ids=data["remove_files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(proposal)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    return render(
        request, "proposals/form.html", {"form": form, "editing": True, "proposal": proposal}
    )


def _run(request, action, success_message):
    """Call a service and report the outcome as a message."""
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    if success_message:
        messages.success(request, success_message)
    return True


@login_required
@require_POST
def proposal_withdraw(request, pk):
    proposal = _own_proposal(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(
        request,
        lambda: services.proposal_withdraw(proposal=proposal, user=request.user, reason=reason),
        _("Your proposal is withdrawn."),
    )
    return redirect(proposal)


@login_required
@require_POST
def proposal_trash(request, pk):
    proposal = _own_proposal(request, pk)
    if _run(
        request,
        lambda: services.proposal_trash(proposal=proposal, user=request.user),
        _("Your proposal is deleted. Ask the operators if you want it back."),
    ):
        return redirect("me")
    return redirect(proposal)


@login_required
@require_POST
@rate_limited("endorse")
def proposal_endorse(request, pk):
    # Only what the rules and the redirect read: a viral proposal's page is
    # endorsed hundreds of times a second, and its body need not travel each time.
    # The proposer with it (one column): whether they still earn mileage for
    # the endorsement (accounts.participation.earner_id), without a query more.
    proposal = get_object_or_404(
        Proposal.objects.not_deleted()
        .select_related("author")
        .only(*ENDORSE_READS, "author__withdrawn_at"),
        pk=pk,
    )
    if request.POST.get("action") == "withdraw":
        _run(
            request,
            lambda: services.proposal_unendorse(proposal=proposal, user=request.user),
            _("Your endorsement is taken back."),
        )
    else:
        _run(
            request,
            lambda: services.proposal_endorse(proposal=proposal, user=request.user),
            _("You endorsed this proposal."),
        )
    return redirect(f"{proposal.get_absolute_url()}#endorse")


@login_required
@require_POST
@rate_limited("endorse")
def endorsement_carry(request, pk):
    """The member's answer to a carry-over request (issue 16): carry their
    endorsement to the proposal the one they endorsed was merged into, one
    click, or decline. Another member's request is not found."""
    carry = get_object_or_404(EndorsementCarry, pk=pk, member=request.user)
    if request.POST.get("action") == "decline":
        _run(
            request,
            lambda: merging.endorsement_carry_decline(member=request.user, carry=carry),
            _("All right: your endorsement stays where it was."),
        )
        return redirect(f"{reverse('proposals:detail', args=[carry.source_id])}#merged")
    if _run(
        request,
        lambda: merging.endorsement_carry(member=request.user, carry=carry),
        _("Your endorsement now counts for this proposal."),
    ):
        return redirect(f"{reverse('proposals:detail', args=[carry.target_id])}#endorse")
    return redirect(f"{reverse('proposals:detail', args=[carry.source_id])}#merged")


@login_required
@require_POST
def proposal_follow(request, pk):
    """Follow or stop following a proposal's steps (notices and e-mail)."""
    proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
    if request.POST.get("action") == "unfollow":
        services.proposal_unfollow(proposal=proposal, user=request.user)
        messages.success(request, _("You no longer follow this proposal."))
    else:
        _run(
            request,
            lambda: services.proposal_follow(proposal=proposal, user=request.user),
            _("You follow this proposal. You will be told of each step it takes."),
        )
    return redirect(f"{proposal.get_absolute_url()}#endorse")


@login_required
@require_POST
@rate_limited("comment")
def comment_create(request, pk):
    proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = create_once(
                user=request.user,
                token=form.cleaned_data["submission_token"],
                create=lambda: services.comment_create(
                    proposal=proposal, author=request.user, body=form.cleaned_data["body"]
                ),
                url_of=selectors.comment_url,
            )
        except AlreadySubmitted as done:
            return _already_sent(request, done)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(selectors.comment_url(comment))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(f"{proposal.get_absolute_url()}#comments")


def _own_comment(request, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.not_deleted()
        .filter(proposal__deleted_at__isnull=True)
        .select_related("proposal"),
        pk=pk,
    )
    if not proposal_rules.is_comment_author(request.user, comment):
        raise Http404
    return comment


@login_required
def comment_edit(request, pk):
    comment = _own_comment(request, pk)
    if refusal := proposal_rules.comment_edit_refusal(comment):
        messages.error(request, refusal)
        return redirect(selectors.comment_url(comment))
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(comment.proposal)
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(selectors.comment_url(comment))
    return render(
        request,
        "proposals/comment_form.html",
        {"form": form, "comment": comment, "comment_url": selectors.comment_url(comment)},
    )


@login_required
@require_POST
def comment_delete(request, pk):
    comment = _own_comment(request, pk)
    _run(
        request,
        lambda: services.comment_delete(comment=comment, user=request.user),
        _("Your comment is deleted."),
    )
    return redirect(f"{comment.proposal.get_absolute_url()}#comments")


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("report")
def report(request, target, pk):
    """A member reports a proposal or a comment. A comment's report form is
    a page of its own (GET), linked from each comment: one form per comment
    on the proposal's page made a long thread megabytes for members."""
    if target == "proposal":
        proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
        kwargs = {"proposal": proposal}
        back = proposal.get_absolute_url()
    else:
        comment = get_object_or_404(Comment.objects.not_deleted().select_related("proposal"), pk=pk)
        proposal = comment.proposal
        kwargs = {"comment": comment}
        back = selectors.comment_url(comment)
    if request.method == "GET":
        # Nothing hidden is shown here; the proposal's page offers no report then.
        if not proposal.is_public or (target == "comment" and comment.is_hidden):
            raise Http404
        return render(
            request,
            "proposals/report.html",
            {"proposal": proposal, "back": back, "report_reasons": ReportReason.choices, **kwargs},
        )
    form = ReportForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.report_create(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                detail=form.cleaned_data["detail"],
                **kwargs,
            ),
            _("Thank you. The operators will look at your report."),
        )
    else:
        messages.error(request, _("Please choose a reason for the report."))
    return redirect(back)


@login_required
@require_POST
def moderate(request, target, pk):
    """Operators (and an institution's administrators, on their
    institution's proposals) hide or restore a proposal or comment from the
    page, with a reason."""
    if not rules.has_perm("proposals.moderate", request.user):
        raise Http404
    hide = request.POST.get("action") == "hide"
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if target == "proposal":
        proposal = get_object_or_404(Proposal.objects.not_deleted(), pk=pk)
        service = services.proposal_hide if hide else services.proposal_unhide
        action = lambda: service(proposal=proposal, user=request.user, reason=reason)  # noqa: E731
    else:
        comment = get_object_or_404(Comment.objects.not_deleted().select_related("proposal"), pk=pk)
        proposal = comment.proposal
        action = lambda: services.comment_set_hidden(  # noqa: E731
            comment=comment, user=request.user, reason=reason, hidden=hide
        )
    # Another institution's (or the city's) is not theirs: as if there were
    # no such page, as for everyone without the permission.
    if not rules.has_perm("proposals.moderate", request.user, proposal):
        raise Http404
    _run(request, action, _("Hidden.") if hide else _("Restored."))
    return redirect(proposal)


@never_cache  # a member's own page: never kept by a cache or the back button
@login_required
def me(request):
    """My proposals with their status, my endorsements and my comments."""
    user = request.user
    return render(
        request,
        "proposals/me.html",
        {
            "my_proposals": Proposal.objects.not_deleted()
            .filter(author=user)
            .select_related("category"),
            "my_endorsements": user.endorsements.select_related("proposal")
            .filter(proposal__deleted_at__isnull=True)
            .order_by("-created_at"),
            "my_comments": Comment.objects.not_deleted()
            .filter(author=user, proposal__deleted_at__isnull=True)
            .select_related("proposal")
            .order_by("-created_at"),
            "today": timezone.localdate(),
            # What apps above this one show the member (accounts.member_home).
            "member_sections": member_sections(user),
        },
    )
