"""The OpenAPI 3.1 document of /api/hsds/, built from HSDS 3.0's own openapi.json (vendored
in spec/): its paths that we serve, with their descriptions and response schemas.

What we change, so that the document says exactly what this API does:
- the response schemas point into `components/schemas`, filled from the specification's
  compiled schemas (service_with_definitions.json, the _list schemas), instead of to
  raw.githubusercontent.com: the document stands alone, and no reader has to fetch a file
  from elsewhere;
- each operation lists the parameters it takes, with the values it accepts (the
  specification's parameters we do not support are left out; ours are added: `size`,
  `postcode` and `proximity` on /services, `accepting`), and its 400 and 404 answers;
- `info` and `servers` describe this API instead of the template's placeholders.
"""

import copy
import functools

from directory.hsds.filters import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, MAX_PROXIMITY, PAGING
from directory.hsds.ids import TAXONOMY_ID, term_id
from directory.hsds.records import VOCABULARIES
from directory.hsds.spec import spec_json
from directory.search.params import MAX_TEXT

SPEC_REF = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# The specification's remote schemas -> our components.
SCHEMA_NAMES = {
    "compiled/service.json": "service",
    "compiled/service_list.json": "service_list",
    "compiled/organization.json": "organization_full",
    "compiled/organization_list.json": "organization_list",
    "taxonomy.json": "taxonomy",
    "taxonomy_term.json": "taxonomy_term",
}
# Path -> the parameters of its GET, by name in components/parameters.
OPERATIONS = {
    "/": [],
    "/services": [
        "search", *PAGING, "taxonomy_term_id", "organization_id", "modified_after", "full", "postcode", "proximity",
        "accepting",
    ],
    "/services/{id}": [],
    "/organizations": ["search", "full_service", "full", *PAGING],
    "/organizations/{id}": ["full_service"],
    "/taxonomies": ["search", *PAGING],
    "/taxonomies/{id}": [],
    "/taxonomy_terms": ["search", *PAGING, "taxonomy_id", "top_only", "parent_id"],
    "/taxonomy_terms/{id}": [],
}  # fmt: skip
UUID = {"type": "string", "format": "uuid"}
# Ids that never change, as examples (those of services and organizations depend on the data).
EXAMPLE_IDS = {"/taxonomies/{id}": TAXONOMY_ID, "/taxonomy_terms/{id}": term_id("treatments", "tms")}


def openapi_document(*, server_url: str) -> dict:
    spec = spec_json("openapi.json")
    paths = {}
    for path, parameters in OPERATIONS.items():
        item = copy.deepcopy(spec["paths"][path])
        operation = item["get"]
        operation["parameters"] = [{"$ref": f"#/components/parameters/{name}"} for name in parameters]
        responses = operation["responses"]
        responses["400"] = {"$ref": "#/components/responses/BadRequest"}
        if "{id}" in path:
            responses["404"] = {"$ref": "#/components/responses/NotFound"}
        if path in EXAMPLE_IDS:
            item["parameters"][0]["example"] = EXAMPLE_IDS[path]
        paths[path] = _local_refs(item)
    return {
        "openapi": spec["openapi"],
        "info": {
            "title": "Depression Treatment Finder: Open Referral HSDS 3.0 API",
            "version": "1.0.0",
            "summary": "Treatment centers for depression in the United States, as Open Referral HSDS 3.0 data.",
            "description": (
                "Read-only and public. Ids are those of the open data export (/open-data/) and never change. "
                f"Lists are pages of `per_page` items ({DEFAULT_PAGE_SIZE} unless asked, at most {MAX_PAGE_SIZE}; "
                "`size` is taken as another name for it); a page past the last one is empty. Unknown or unusable "
                'parameters are answered 400 with `{"errors": {"parameter": ["message", ...]}}`. This document is '
                "built from HSDS 3.0's openapi.json (Human Services Data Specification: an Open Referral resource, "
                "https://openreferral.org/, CC BY-SA 4.0); the data is CC0."
            ),
            "license": {"name": "CC0 1.0 Universal (the data)", "identifier": "CC0-1.0"},
        },
        "jsonSchemaDialect": spec["jsonSchemaDialect"],
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": _schemas(),
            "parameters": _parameters(),
            "responses": {
                "BadRequest": _json_response(
                    "Parameters that are unknown or cannot be used, each with what was wrong.",
                    {
                        "type": "object",
                        "required": ["errors"],
                        "properties": {
                            "errors": {
                                "type": "object",
                                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                            }
                        },
                    },
                ),
                "NotFound": _json_response(
                    "Nothing we publish has this id.",
                    {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
                ),
            },
        },
    }


def _json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _local_refs(node):
    """The document with every reference to the specification's files turned into a local one."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith(SPEC_REF):
            return {**node, "$ref": f"#/components/schemas/{SCHEMA_NAMES[ref.removeprefix(SPEC_REF)]}"}
        if ref.startswith("#/definitions/"):
            return {**node, "$ref": ref.replace("#/definitions/", "#/components/schemas/")}
        return {key: _local_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_local_refs(value) for value in node]
    return node


@functools.cache
def _schemas() -> dict:
    compiled = copy.deepcopy(spec_json("compiled/service_with_definitions.json"))
    schemas = _local_refs(compiled.pop("definitions"))
    schemas["service"] = _local_refs(compiled)
    schemas["service_list"] = copy.deepcopy(spec_json("compiled/service_list.json"))
    schemas["organization_list"] = copy.deepcopy(spec_json("compiled/organization_list.json"))
    schemas["organization_full"] = {
        "allOf": [{"$ref": "#/components/schemas/organization"}],
        "properties": {"services": {"type": "array", "items": {"$ref": "#/components/schemas/service"}}},
    }
    schemas["Page"] = copy.deepcopy(spec_json("openapi.json")["components"]["schemas"]["Page"])
    return schemas


def _parameters() -> dict:
    spec = spec_json("openapi.json")["components"]["parameters"]
    ours = {
        "search": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": "^[^\\x00]*$"},
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "format": {"type": "string", "enum": ["json"]},
        "taxonomy_term_id": {"type": "array", "items": UUID},
        "organization_id": UUID,
        "modified_after": {"type": "string", "format": "date-time"},
        "full": {"type": "boolean"},
        "full_service": {"type": "boolean"},
        "postcode": {"type": "string", "pattern": "^[0-9]{5}$"},
        "proximity": {"type": "number", "minimum": 1, "maximum": MAX_PROXIMITY},
    }
    parameters = {name: {**copy.deepcopy(spec[name]), "schema": schema} for name, schema in ours.items()}
    parameters["taxonomy_term_id"]["description"] = (
        "Services with this taxonomy term (repeatable: any of the terms of one vocabulary; terms of different "
        "vocabularies must all match; a vocabulary's parent term stands for any of its terms). "
        "An id that is not one of /taxonomy_terms is refused with 400."
    )
    parameters["postcode"]["description"] = (
        "A 5-digit US ZIP code: only services with a location within `proximity` of its centre (25 miles "
        "without `proximity`), nearest first. We have no service areas."
    )
    parameters["proximity"]["description"] = "Meters from the centre of `postcode` (which it needs)."
    parameters["page"]["description"] = "Page number of paginated result, from 1."
    parameters["format"]["description"] = "Only `json` (the default) is served."
    parameters["size"] = {
        "name": "size",
        "in": "query",
        "required": False,
        "description": "Another name for per_page (the page key that answers it); give one of them.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }
    parameters["accepting"] = {
        "name": "accepting",
        "in": "query",
        "required": False,
        "description": "Not in HSDA: 1 for only the centers accepting new patients (our listing's parameter).",
        "schema": {"type": "string", "enum": ["1"]},
    }
    # Only the vocabularies' own terms have children, and we publish one taxonomy: their ids never change.
    parents = [term_id(vocabulary) for vocabulary in VOCABULARIES]
    for name, description, schema in [
        ("taxonomy_id", "Terms of this taxonomy (we publish one).", {**UUID, "enum": [TAXONOMY_ID]}),
        ("parent_id", "Terms whose parent term has this id (a vocabulary's).", {**UUID, "enum": parents}),
        ("top_only", "Only terms without a parent (the vocabularies).", {"type": "boolean"}),
    ]:
        parameters[name] = {"name": name, "in": "query", "required": False, "description": description}
        parameters[name]["schema"] = schema
    return parameters
