"""The national directory import in the admin: only for staff allowed to import."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Center
from tests.directory.import_helpers import COLUMNS, facility_row

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/directory/center/import/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def staff_user(django_user_model, *, can_import: bool):
    user = django_user_model.objects.create_user("staffer", "staffer@example.org", "a-long-test-password")
    user.is_staff = True
    user.save()
    permissions = ["view_center", "change_center"] + (["import_centers"] if can_import else [])
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions, content_type__app_label="directory"))
    return user


def directory_upload(rows: list[dict], name: str = "directory.csv") -> SimpleUploadedFile:
    lines = [",".join(COLUMNS)] + [",".join(row[column] for column in COLUMNS) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def test_the_import_url_is_the_documented_one():
    assert reverse("admin:directory_center_import") == IMPORT_URL


def test_staff_without_the_import_permission_get_403_and_no_link(client, django_user_model):
    client.force_login(staff_user(django_user_model, can_import=False))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": directory_upload([facility_row()])}).status_code == 403
    assert Center.objects.count() == 0
    changelist = client.get(reverse("admin:directory_center_changelist"))
    assert changelist.status_code == 200 and IMPORT_URL.encode() not in changelist.content


def test_visitors_who_are_not_staff_are_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_with_the_permission_upload_a_file_and_see_the_summary_and_rejects(client, django_user_model):
    staff = staff_user(django_user_model, can_import=True)
    client.force_login(staff)
    changelist = client.get(reverse("admin:directory_center_changelist"))
    assert IMPORT_URL.encode() in changelist.content and b"Import national directory" in changelist.content

    rows = [facility_row(name1="Uploaded Clinic"), facility_row(name1="Lost Clinic", city="Nowhereville", zip="99999")]
    response = client.post(IMPORT_URL, {"file": directory_upload(rows, "mh_2023.csv")})
    assert response.status_code == 200
    content = response.content.decode()
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 1" in content
    assert "Lost Clinic" in content and "is not a known US ZIP" in content
    uploaded = Center.objects.get(name="Uploaded Clinic")
    assert uploaded.status == Center.Status.PUBLISHED
    assert uploaded.history.get().history_user == staff  # the change history says who imported it

    rejects_link = response.context["run"]
    rejects = client.get(reverse("admin:directory_center_import_file", args=[rejects_link, "rejects.csv"]))
    assert rejects.status_code == 200
    body = b"".join(rejects.streaming_content).decode()
    assert body.startswith("row,reason,name1") and "3," in body and "Lost Clinic" in body
    assert "mh_2023.csv" in client.get(IMPORT_URL).content.decode()  # listed under recent imports


def test_a_dry_run_upload_shows_the_summary_and_writes_nothing(client, django_user_model, media_root):
    client.force_login(staff_user(django_user_model, can_import=True))
    response = client.post(IMPORT_URL, {"file": directory_upload([facility_row()]), "dry_run": "on"})
    assert "created 1, updated 0, unchanged 0, merged 0, rejected 0" in response.content.decode()
    assert Center.objects.count() == 0
    assert not (media_root / "imports").exists()


def test_a_file_that_is_not_the_directory_is_refused_with_a_message(client, django_user_model):
    client.force_login(staff_user(django_user_model, can_import=True))
    upload = SimpleUploadedFile("notes.csv", b"title,text\nHello,World\n", content_type="text/csv")
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200
    assert "lacks the directory&#x27;s column" in response.content.decode()
    wrong_type = SimpleUploadedFile("directory.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert "File extension" in client.post(IMPORT_URL, {"file": wrong_type}).content.decode()


def test_report_files_are_only_served_from_import_folders(client, django_user_model, media_root):
    client.force_login(staff_user(django_user_model, can_import=True))
    run = media_root / "imports" / "20260101-000000-000000"
    run.mkdir(parents=True)
    (run / "rejects.csv").write_text("line,reason\n7,no name\n")
    (run / "passwd").write_text("not a report")
    (media_root / "secret.txt").write_text("outside the import folders")
    # A report of an import is served to staff who may import.
    response = client.get(f"{IMPORT_URL}20260101-000000-000000/rejects.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"line,reason\n7,no name\n"
    # Nothing else: not another file of the folder, not a file of no import, nothing outside.
    for url in [
        f"{IMPORT_URL}20260101-000000-000000/passwd",
        f"{IMPORT_URL}20260101-000000-000000/warnings.csv",
        f"{IMPORT_URL}..%2E%2E/rejects.csv",
        f"{IMPORT_URL}..%2F..%2Fconfig/settings.py",
        f"{IMPORT_URL}20260101-000000-000000/..%2F..%2Fsecret.txt",
        f"{IMPORT_URL}..%2F..%2F/secret.txt",
    ]:
        # Paths no URL pattern matches end on the admin's own pages (a redirect to the form with a
        # slash, then the admin's 404 or its "no such object" page): never a file, never an error.
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        assert not response.has_header("Content-Disposition") and "text/html" in response["Content-Type"], url
        for secret in (b"outside the import folders", b"not a report", b"SECRET_KEY"):
            assert secret not in response.content, url


def test_staff_who_may_import_see_each_finished_import_with_its_checksum(client, django_user_model, tmp_path):
    from directory.models import ImportRun
    from tests.directory.import_helpers import facility_row, run_import, write_directory

    run_import(write_directory(tmp_path / "d.csv", [facility_row(name1="Checksum Clinic")]))
    run = ImportRun.objects.get()
    assert (run.file_name, run.created, len(run.sha256)) == ("d.csv", 1, 64)
    editor = django_user_model.objects.create_user("ed", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Listing editors"))
    client.force_login(editor)
    html = client.get("/admin/directory/importrun/").content.decode()
    assert "d.csv" in html and "SAMHSA National Directory 2022" in html
    assert client.get(f"/admin/directory/importrun/{run.pk}/change/").status_code == 200
    assert client.post(f"/admin/directory/importrun/{run.pk}/delete/").status_code == 403
    guide_editor = django_user_model.objects.create_user("gina", password="x", is_staff=True)
    guide_editor.groups.add(Group.objects.get(name="Guide editors"))
    client.force_login(guide_editor)
    assert client.get("/admin/directory/importrun/").status_code == 403


def entity_bomb_xlsx(sheet_fix=None) -> bytes:
    """A workbook with the directory's columns whose sheet declares nested XML entities (a
    "billion laughs"): each level ten times the one before, expanding to gigabytes if resolved."""
    import io
    import zipfile

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append([facility_row(name1="Bomb Clinic")[column] for column in COLUMNS])
    plain = io.BytesIO()
    workbook.save(plain)
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bombed = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bombed, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                if sheet_fix:
                    data = sheet_fix(data.decode()).encode()
                else:
                    text = data.decode().replace("Bomb Clinic", "&lol9;")
                    data = f"<?xml version='1.0'?><!DOCTYPE worksheet [{entities}]>{text}".encode()
            target.writestr(item, data)
    return bombed.getvalue()


def broken_row_xlsx() -> bytes:
    """A workbook whose sheet starts well (header and dimension) and breaks in its second row."""
    return entity_bomb_xlsx(sheet_fix=lambda text: text.replace("</row>", "</rwo>", 2))


@pytest.mark.parametrize("workbook", [entity_bomb_xlsx, broken_row_xlsx])
def test_an_xlsx_entity_bomb_or_broken_sheet_is_reported_as_an_unreadable_workbook(client, django_user_model, workbook):
    client.force_login(staff_user(django_user_model, can_import=True))
    upload = SimpleUploadedFile(
        "directory.xlsx",
        workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200
    assert "not a readable .xlsx workbook" in response.content.decode()
    assert Center.objects.count() == 0


def test_openpyxl_reads_workbooks_through_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "defusedxml (requirements.txt) is installed and openpyxl uses it"
