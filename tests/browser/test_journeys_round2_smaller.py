"""Issue 13, item 12 (smaller items from the audit), in a real browser: the report page's one
heading, the ask and report forms about 40rem wide on a desktop, the self-check as a vertical
list with "Question N of 9" on a phone, and the admin's center list and treatment rows at 1280 px.
"""

import pytest

from directory.models import Verification
from tests.browser.support import DESKTOP
from tests.factories import make_center

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_report_page_has_one_heading_and_both_forms_are_about_40rem_wide(page, check_page):
    center = make_center(name="Harbor Test Clinic")
    page.goto(center.get_absolute_url() + "report/")
    assert page.locator("main").get_by_role("heading").all_inner_texts() == ["Report a problem with Harbor Test Clinic"]
    page.get_by_label("Phone number").check()  # the form is open at once, with no fold to tap
    check_page()
    page.set_viewport_size(DESKTOP)
    for path in ["report/", "ask/"]:
        page.goto(center.get_absolute_url() + path)
        width = page.locator(".outreach-form").bounding_box()["width"]
        assert 560 <= width <= 680, f"{path}: {width} px"  # 40rem is 640 px
    check_page()


def test_on_a_phone_the_self_check_answers_are_one_column_and_say_which_question_of_nine(page, check_page):
    page.goto("/self-check/")
    first = page.locator(".selfcheck-item").first
    assert first.locator("legend").inner_text().startswith("Question 1 of 9\n")
    assert page.locator(".selfcheck-item legend").nth(8).inner_text().startswith("Question 9 of 9")
    options = first.locator(".selfcheck-option")
    lefts = {round(options.nth(i).bounding_box()["x"]) for i in range(4)}
    tops = [options.nth(i).bounding_box()["y"] for i in range(4)]
    assert len(lefts) == 1 and tops == sorted(tops), "the four answers stack in order"
    check_page()


@pytest.fixture
def staff_page(page, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_the_admin_center_list_fits_at_1280_px(staff_page, check_page):
    make_center(name="Harbor Test Clinic With A Rather Long Name Like Real Ones Have", accepting_new_patients="yes")
    staff_page.goto("/admin/directory/center/")
    scroll, room = staff_page.locator(".results").evaluate("(box) => [box.scrollWidth, box.clientWidth]")
    assert scroll <= room, f"the table needs {scroll} px and has {room} px"
    headers = staff_page.locator("#result_list thead th").all_inner_texts()
    assert [header.strip() for header in headers[1:]] == [
        "NAME", "STATUS", "CITY", "ACCEPTING", "DEMO", "LAST VERIFIED"
    ]  # fmt: skip
    check_page()


def test_a_treatment_row_shows_only_its_own_detail_and_a_verification_is_recorded_from_the_top(staff_page, check_page):
    center = make_center(name="Harbor Test Clinic", treatments=("tms", "cbt"))
    staff_page.goto(f"/admin/directory/center/{center.pk}/change/")
    rows = staff_page.locator("#treatment_details-group .inline-related:not(.empty-form)")
    tms, cbt = rows.nth(0), rows.nth(1)
    assert tms.get_by_label("TMS variant").is_visible()
    for label in ["Ketamine route", "ECT setting", "VNS role", "Spravato REMS certified", "Psychedelic program"]:
        assert not tms.get_by_label(label).is_visible()
        assert not cbt.get_by_label(label).is_visible()
    assert not cbt.get_by_label("TMS variant").is_visible()
    assert cbt.get_by_label("Self pay price").is_visible()

    staff_page.get_by_role("button", name="Add another Center treatment").click()
    added = rows.nth(2)
    assert not added.get_by_label("TMS variant").is_visible()
    added.locator(".select2-selection").click()
    staff_page.locator(".select2-results__option", has_text="Ketamine infusion").click()
    assert added.get_by_label("Ketamine route").is_visible()
    check_page()

    # "Record a verification" sits at the top of the page and comes back to it.
    record = staff_page.get_by_role("link", name="Record a verification")
    assert record.bounding_box()["y"] < 200
    record.click()
    staff_page.get_by_label("Method").select_option("phone")
    staff_page.get_by_role("button", name="Save", exact=True).click()
    staff_page.wait_for_url(f"**/admin/directory/center/{center.pk}/change/")
    assert "Recorded a verification of Harbor Test Clinic" in staff_page.locator(".messagelist").inner_text()
    assert Verification.objects.get(center=center).method == "phone"
