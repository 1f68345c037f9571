"""The representative's area (/for-centers/): their own centers only.

A representative is not a Django user: the admin never opens for them. Every center in
a URL is looked up among the representative's active representations, so another
center's id answers 404, as an unknown one does.
"""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from directory.listings.forms import AvailabilityForm, ProposalForm
from directory.listings.proposals import listing_values, proposal_submit
from directory.listings.representatives import (
    availability_confirm,
    representative_actor,
    representative_sign_out,
    signed_in_representative,
)
from directory.listings.services import action_record
from directory.models import Center, Inquiry, InquiryView


def representative_required(view):
    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        representative = signed_in_representative(request)
        if representative is None:
            return redirect("directory:representative_sign_in")
        request.representative = representative
        return view(request, *args, **kwargs)

    return wrapper


def _own_center(request, center_id: int) -> Center:
    center = request.representative.active_centers().filter(pk=center_id).first()
    if center is None:
        raise Http404("No such center among yours.")
    return center


@representative_required
@require_http_methods(["GET"])
def portal(request):
    centers = list(request.representative.active_centers().prefetch_related("locations"))
    if len(centers) == 1:
        return redirect("directory:portal_center", center_id=centers[0].pk)
    return render(request, "directory/listings/portal.html", {"centers": centers})


@representative_required
@require_http_methods(["GET"])
def portal_center(request, center_id: int):
    center = _own_center(request, center_id)
    context = {
        "center": center,
        "availability_form": AvailabilityForm(
            initial={"accepting_new_patients": center.accepting_new_patients, "typical_wait": center.typical_wait}
        ),
        "inquiries": center.inquiries.order_by("-created_at")[:50],
        "proposals": center.change_proposals.order_by("-created_at")[:10],
        "propose_url": reverse("directory:portal_propose", args=[center.pk]),
    }
    return render(request, "directory/listings/portal_center.html", context)


@representative_required
@require_POST
def portal_availability(request, center_id: int):
    center = _own_center(request, center_id)
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        return render(
            request, "directory/listings/portal_center.html", {"center": center, "availability_form": form}, status=400
        )
    availability_confirm(
        center=center,
        representative=request.representative,
        accepting=form.cleaned_data["accepting_new_patients"],
        typical_wait=form.cleaned_data["typical_wait"].strip(),
    )
    return redirect("directory:portal_center", center_id=center.pk)


@representative_required
@require_http_methods(["GET", "POST"])
def portal_inquiry(request, center_id: int, inquiry_id: int):
    center = _own_center(request, center_id)
    inquiry = get_object_or_404(Inquiry, pk=inquiry_id, center=center)
    actor = representative_actor(request.representative)
    if request.method == "POST":
        status = request.POST.get("status")
        if status in Inquiry.Status.values:
            Inquiry.objects.filter(pk=inquiry.pk).update(status=status)
            action_record(actor=actor, action="set an inquiry's status", center=center, target=f"inquiry #{inquiry.pk}")
        return redirect("directory:portal_inquiry", center_id=center.pk, inquiry_id=inquiry.pk)
    # Each reading is recorded, as the admin records staff readings.
    InquiryView.objects.create(inquiry=inquiry, viewed_by=None, viewed_by_username=actor)
    return render(
        request,
        "directory/listings/portal_inquiry.html",
        {"center": center, "inquiry": inquiry, "statuses": Inquiry.Status.choices},
    )


@representative_required
@require_http_methods(["GET", "POST"])
def portal_propose(request, center_id: int):
    """Propose changes to the listing; an editor applies them (nothing changes before)."""
    center = _own_center(request, center_id)
    form = ProposalForm(request.POST or None, initial=listing_values(center))
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            form.add_error(None, "Nothing was changed.")
        else:
            proposal_submit(center=center, representative=request.representative, proposed=form.proposed())
            messages.success(request, "Thank you: a listing editor will check your changes. We will e-mail you.")
            return redirect("directory:portal_center", center_id=center.pk)
    return render(request, "directory/listings/portal_propose.html", {"center": center, "form": form})


@require_POST
def portal_sign_out(request):
    representative_sign_out(request)
    return redirect("directory:representative_sign_in")
