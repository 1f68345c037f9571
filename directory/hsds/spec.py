"""The vendored HSDS 3.0 specification files in spec/ (spec/README.md: source, tag, licence)."""

import functools
import json
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parent / "spec"
# HSDS version, as the API's metadata endpoint gives it (the specification's examples/base.json).
HSDS_VERSION = "3.0"
# Where the HSDS 3.0 documentation lives: we publish plain HSDS 3.0, with no profile of our own.
HSDS_DOCS_URL = "https://docs.openreferral.org/en/v3.0/"


@functools.cache
def spec_json(name: str) -> dict:
    """A vendored file, e.g. "datapackage.json" or "compiled/service.json". Callers must not change it."""
    return json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))


def table_fields(table: str) -> list[str]:
    """The columns of one table of the official data package, in order ("service" -> id, organization_id, ...)."""
    resource = next(r for r in spec_json("datapackage.json")["resources"] if r["name"] == table)
    return [field["name"] for field in resource["schema"]["fields"]]
