"""Staff keep listings true: verifications set the "last verified" line; every change is
recorded, restorable, and summarised publicly without names."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Center, CenterTreatment, Location, PaymentOption, Verification
from tests.directory.outreach_helpers import add_inline_row, admin_form_data, listed_days_ago, make_staff
from tests.factories import make_center

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model, client):
    user = make_staff(django_user_model, "lena", "Listing editors")
    client.force_login(user)
    return user


def center_admin_url(center: Center) -> str:
    return reverse("admin:directory_center_change", args=[center.pk])


def save_center_in_admin(client, center: Center, **changes):
    data = admin_form_data(client.get(center_admin_url(center)))
    data.update(changes)
    response = client.post(center_admin_url(center), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    return data


def stale_centers(client) -> str:
    """The rows of the changelist filtered to stale centers."""
    html = client.get(reverse("admin:directory_center_changelist"), {"verified": "stale"}).content.decode()
    return html.split('id="result_list"', 1)[1].split("</table>")[0] if 'id="result_list"' in html else ""


def test_recording_a_verification_on_the_center_page_sets_the_line_and_clears_the_stale_flag(client, editor):
    long_ago = timezone.localdate() - timedelta(days=500)
    center = make_center(name="Willow Creek Clinic", last_verified_on=long_ago, verification_method="website")
    assert "Willow Creek Clinic" in stale_centers(client)

    data = admin_form_data(client.get(center_admin_url(center)))
    add_inline_row(
        data,
        "verifications",
        verified_on=str(timezone.localdate()),
        method="phone",
        note="Called the front desk; phone and hours confirmed.",
    )
    assert client.post(center_admin_url(center), data).status_code == 302

    center.refresh_from_db()
    assert center.last_verified_on == timezone.localdate()
    assert (center.verification_method, center.verified_by) == ("phone", editor)
    verification = Verification.objects.get(center=center)
    assert verification.verified_by == editor and "front desk" in verification.note
    assert "Willow Creek Clinic" not in stale_centers(client)
    listing = client.get(reverse("admin:directory_center_changelist")).content.decode()
    assert "Current" in listing[listing.index("Willow Creek Clinic") :].split("</tr>")[0]


def test_an_older_verification_does_not_move_the_line_back(client, editor):
    today = timezone.localdate()
    center = make_center()
    url = reverse("admin:directory_verification_add")
    client.post(url, {"center": center.pk, "verified_on": str(today), "method": "in_person"})
    client.post(url, {"center": center.pk, "verified_on": str(today - timedelta(days=90)), "method": "email"})
    center.refresh_from_db()
    assert (center.last_verified_on, center.verification_method) == (today, "in_person")
    assert Verification.objects.filter(center=center).count() == 2


def test_a_verification_cannot_be_dated_in_the_future(client, editor):
    center = make_center()
    response = client.post(
        reverse("admin:directory_verification_add"),
        {"center": center.pk, "verified_on": str(timezone.localdate() + timedelta(days=3)), "method": "phone"},
    )
    assert response.status_code == 200 and b"cannot be in the future" in response.content
    center.refresh_from_db()
    assert center.last_verified_on is None


def test_provenance_is_set_by_verifications_not_typed_into_the_center_form(client, editor):
    center = make_center()
    save_center_in_admin(client, center, last_verified_on="2020-01-01", verification_method="website")
    center.refresh_from_db()
    assert center.last_verified_on is None and center.verification_method == ""


def test_every_change_is_recorded_with_who_and_what(client, editor):
    center = make_center(phone="(904) 555-0100")
    save_center_in_admin(client, center, phone="(904) 555-0111")
    newest, previous = center.history.order_by("-history_date", "-history_id")[:2]
    assert newest.history_user == editor
    changed = {change.field for change in newest.diff_against(previous).changes}
    assert "phone" in changed
    history_page = client.get(reverse("admin:directory_center_history", args=[center.pk])).content.decode()
    assert "lena" in history_page and "(904) 555-0111" in history_page


def test_a_past_version_can_be_restored_from_the_admin_history(client, editor):
    center = make_center(phone="(904) 555-0100")
    original = center.history.earliest("history_date")
    save_center_in_admin(client, center, phone="(904) 555-0111", name="Renamed By Mistake")
    revert_url = reverse("admin:directory_center_simple_history", args=[center.pk, original.history_id])
    page = client.get(revert_url)
    assert page.status_code == 200 and b"Revert" in page.content
    response = client.post(revert_url, admin_form_data(page))
    assert response.status_code == 302
    center.refresh_from_db()
    assert (center.phone, center.name) == ("(904) 555-0100", original.name)
    assert center.history.latest("history_date").history_user == editor


def test_location_and_treatment_changes_are_recorded_and_a_removed_location_can_be_restored(client, editor):
    center = make_center()
    location = center.locations.get()
    data = admin_form_data(client.get(center_admin_url(center)))
    data["locations-0-street1"] = "77 Riverside Avenue"
    data["treatment_details-0-self_pay_price"] = "275.00"
    assert client.post(center_admin_url(center), data).status_code == 302
    assert location.history.latest("history_date").street1 == "77 Riverside Avenue"
    assert CenterTreatment.history.filter(center_id=center.pk).latest("history_date").history_user == editor

    location_id = location.pk
    location.delete()
    page = client.get(center_admin_url(center)).content.decode()
    history_url = reverse("admin:directory_location_history", args=[location_id])
    assert history_url in page  # "removed, restorable"
    before_delete = Location.history.filter(id=location_id, history_type="~").latest("history_date")
    revert_url = reverse("admin:directory_location_simple_history", args=[location_id, before_delete.history_id])
    response = client.post(revert_url, admin_form_data(client.get(revert_url)))
    assert response.status_code == 302
    assert Location.objects.get(pk=location_id).street1 == "77 Riverside Avenue"


def test_the_public_change_log_names_kinds_of_change_never_people_or_internal_fields(client, editor):
    center = listed_days_ago(make_center(name="Open Door Mood Center"), days=40)
    data = admin_form_data(client.get(center_admin_url(center)))
    data["phone"] = "(904) 555-0122"
    data["inquiry_email"] = "private-intake@example.org"
    data["locations-0-zip"] = "32256"
    data["payment_options"] = [str(PaymentOption.objects.first().pk)]
    assert client.post(center_admin_url(center), data).status_code == 302

    client.logout()
    html = client.get(center.get_absolute_url()).content.decode()
    log = html[html.index("Changes to this listing") :].split("</section>")[0]
    today, listed = timezone.localdate(), timezone.localdate() - timedelta(days=40)
    assert f'<time datetime="{today:%Y-%m-%d}">' in log
    assert "address, insurance and payment, phone" in log
    assert f'<time datetime="{listed:%Y-%m-%d}">' in log and "added to the directory" in log
    assert "lena" not in html and "private-intake" not in html and "inquiry" not in log.lower()


def test_a_center_listed_today_shows_only_that_it_was_added(client):
    center = make_center()
    html = client.get(center.get_absolute_url()).content.decode()
    log = html[html.index("Changes to this listing") :].split("</section>")[0]
    assert "added to the directory</li>" in log and "changed" not in log


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        ({"phone": "(904) 555-0123"}, "phone"),  # the center
        ({"locations-0-hours": "Mon-Sat 7am-7pm"}, "hours"),  # one of its locations
        ({"payment_options": []}, "insurance and payment"),  # one of its lists
        ({"insurers": "Florida Blue\nAetna"}, "insurance and payment"),  # the insurers it names
    ],
)
def test_the_public_change_log_shows_a_change_made_after_the_page_was_last_seen(client, editor, change, kind):
    """The log is cached between views; a change recorded by the history must show at once."""
    center = make_center(name="Still Water Mood Center")
    center.payment_options.set(PaymentOption.objects.all()[:1])
    listed_days_ago(center, days=40)
    today = f'<time datetime="{timezone.localdate():%Y-%m-%d}">'
    assert today not in client.get(center.get_absolute_url()).content.decode()  # now in the cache
    save_center_in_admin(client, center, **change)
    html = client.get(center.get_absolute_url()).content.decode()
    log = html[html.index("Changes to this listing") :].split("</section>")[0]
    assert today in log and kind in log.split(today)[1].split("</li>")[0]


def test_a_verification_recorded_from_a_center_goes_back_to_it_and_says_so(client, editor):
    center = make_center(name="Willow Creek Clinic")
    add = reverse("admin:directory_verification_add") + f"?center={center.pk}"
    today = timezone.localdate()
    data = {"center": center.pk, "verified_on": str(today), "method": "phone", "note": "Hours confirmed."}
    response = client.post(add, data, follow=True)
    assert response.redirect_chain == [(center_admin_url(center), 302)]
    html = response.content.decode()
    assert f'<li class="success">Recorded a verification of Willow Creek Clinic on {today}.</li>' in html
    verification = Verification.objects.get()
    assert (verification.verified_by, verification.note) == (editor, "Hours confirmed.")
    # "Save and add another" stays on the form, for the next check of the same center.
    another = client.post(add, {**data, "note": "", "_addanother": "Save and add another"})
    assert another.status_code == 302 and another["Location"].startswith(reverse("admin:directory_verification_add"))


def test_a_verification_added_from_the_verification_list_opens_as_saved(client, editor):
    center = make_center()
    response = client.post(
        reverse("admin:directory_verification_add"),
        {"center": center.pk, "verified_on": str(timezone.localdate()), "method": "email", "_continue": "1"},
    )
    verification = Verification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:directory_verification_change", args=[verification.pk])


def test_correcting_a_verification_moves_the_centers_line(client, editor):
    center = make_center()
    today = timezone.localdate()
    client.post(reverse("admin:directory_verification_add"),
                {"center": center.pk, "verified_on": str(today - timedelta(days=40)), "method": "email"})  # fmt: skip
    verification = Verification.objects.get()
    url = reverse("admin:directory_verification_change", args=[verification.pk])
    data = {**admin_form_data(client.get(url)), "verified_on": str(today), "method": "in_person"}
    assert client.post(url, data).status_code == 302
    center.refresh_from_db()
    assert (center.last_verified_on, center.verification_method) == (today, "in_person")
    assert Verification.objects.get().verified_on == today


def test_past_verifications_are_shown_on_the_center_page_but_not_edited_there(client, editor):
    center = make_center()
    Verification.objects.create(center=center, verified_on=timezone.localdate(), method="phone", note="Called them")
    html = client.get(center_admin_url(center)).content.decode()
    row = html[html.index('id="verifications-0"') :].split("</tr>")[0]
    assert "<p>Called them</p>" in row
    assert 'name="verifications-0-note"' not in row and 'name="verifications-0-DELETE"' not in row


def test_the_center_page_keeps_removed_parts_folded_and_the_list_one_verified_column(client, editor):
    center = make_center()
    html = client.get(center_admin_url(center)).content.decode()
    heading = html.index(">Removed locations and treatments</h2>")
    assert html.rindex('<fieldset class="module aligned collapse"', 0, heading) > html.rindex("</fieldset>", 0, heading)
    listing = client.get(reverse("admin:directory_center_changelist")).content.decode()
    assert "column-stale_flag" in listing and "column-last_verified_on" not in listing
