"""The vendored HSDS 3.0 files are the specification's, unchanged, and our checks of them work."""

import hashlib
import re

from directory.hsds.spec import SPEC_DIR
from tests.directory.hsds.schemas import schema_errors


def test_the_vendored_specification_files_are_unchanged():
    table = re.findall(r"^\| `([^`]+)` \| .+ \| `([0-9a-f]{64})` \|$", (SPEC_DIR / "README.md").read_text(), re.M)
    assert len(table) == 10
    listed = {name for name, _ in table}
    on_disk = {str(path.relative_to(SPEC_DIR)) for path in SPEC_DIR.rglob("*") if path.is_file()}
    assert on_disk - {"README.md"} == listed, "spec/README.md lists every vendored file"
    for name, sha256 in table:
        assert hashlib.sha256((SPEC_DIR / name).read_bytes()).hexdigest() == sha256, f"{name} was changed"


def test_the_schema_check_refuses_what_hsds_does_not_allow():
    service = {"id": "ac148810-d857-441c-9679-408f346de14b", "name": "A service", "status": "active"}
    assert schema_errors(service, "compiled/service.json") == []
    assert schema_errors({**service, "status": "published"}, "compiled/service.json")  # not in the enum
    assert schema_errors({**service, "id": "42"}, "compiled/service.json")  # not a uuid
    assert schema_errors({**service, "url": "not a uri"}, "compiled/service.json")
    assert schema_errors({**service, "slug": "a-service"}, "compiled/service.json")  # not an HSDS field
    assert schema_errors({**service, "organization": {"id": service["id"]}}, "compiled/service.json")  # no name
