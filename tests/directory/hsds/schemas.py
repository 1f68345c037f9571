"""Validation against the vendored official HSDS 3.0 JSON schemas, with jsonschema.

As the specification's own CI validates its examples (validate_examples_json_schema.sh),
every object schema is closed (`additionalProperties: false`), so a key that HSDS does not
define fails too; formats (uuid, email, uri, date-time) are checked.
"""

import copy
import functools

import jsonschema
from jsonschema.protocols import Validator

from directory.hsds.spec import spec_json

FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER
# Without these, jsonschema skips a format silently (uri needs rfc3986-validator, date-time rfc3339-validator).
assert {"uuid", "email", "uri", "date-time"} <= set(FORMATS.checkers), "install the format checkers"


def _closed(node):
    if isinstance(node, dict):
        node = {key: _closed(value) for key, value in node.items()}
        if "properties" in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_closed(value) for value in node]
    return node


@functools.cache
def validator(name: str) -> Validator:
    """A validator for a vendored schema, e.g. "compiled/service.json"."""
    schema = _closed(copy.deepcopy(spec_json(name)))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=FORMATS)


def schema_errors(instance, name: str) -> list[str]:
    errors = sorted(validator(name).iter_errors(instance), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in errors]


def assert_valid(instance, name: str) -> None:
    errors = schema_errors(instance, name)
    assert not errors, f"{name}:\n" + "\n".join(errors[:20])
