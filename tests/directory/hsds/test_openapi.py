"""/api/hsds/openapi.json describes the API, and Schemathesis finds no request it answers with a 5xx.

Schemathesis generates requests from our OpenAPI document, valid ones and invalid ones, and
checks each answer: never a server error, a status code and content type the document
lists, a body matching its schema, and invalid requests refused. The example counts stay
modest so CI stays fast; HYPOTHESIS_PROFILE=thorough raises them (bench/hsds_api.py runs
the same checks over HTTP against a server with the whole directory).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from directory.hsds.openapi import openapi_document
from directory.models import CrisisService, PaymentOption
from tests.factories import make_center

pytestmark = pytest.mark.django_db

EXAMPLES = {"ci": 25, "thorough": 500}[os.environ.get("HYPOTHESIS_PROFILE", "ci")]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# Built as the view serves it (no database needed), for the host the test client calls.
schema = schemathesis.openapi.from_dict(openapi_document(server_url="http://testserver/api/hsds"))
app = get_wsgi_application()


@pytest.fixture
def open_connection():
    """Django closes the database connection at the end of each request it serves, as it
    should in production; here that would end the test's transaction. (The test client
    disconnects the same two handlers while it serves a request.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def centers(db, open_connection):
    center = make_center(name="Harbor Test Clinic", treatments=("tms", "ketamine"), phone="(904) 555-0100 ext. 12")
    center.payment_options.add(PaymentOption.objects.get(slug="medicare"))
    center.crisis_services.add(CrisisService.objects.first())
    make_center(name="Desert Mood Center", city="Phoenix", state="AZ", zip_code="85004", latitude=33.45,
                longitude=-112.07, treatments=("ect",))  # fmt: skip


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_cause_a_server_error_and_match_the_document(case, centers):
    # Called as a WSGI app, with no HTTP client to undo gzip: ask for the body as it is.
    case.call_and_validate(app=app, checks=CHECKS, headers={"Accept-Encoding": "identity"})


def test_the_document_is_openapi_3_1_built_from_the_specification(client):
    document = client.get("/api/hsds/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://testserver/api/hsds"}]
    assert set(document["paths"]) == {
        "/", "/services", "/services/{id}", "/organizations", "/organizations/{id}", "/taxonomies",
        "/taxonomies/{id}", "/taxonomy_terms", "/taxonomy_terms/{id}",
    }  # fmt: skip
    assert document["paths"]["/services/{id}"]["get"]["operationId"] == "getFullyNestedServiceById"
    assert "raw.githubusercontent.com" not in client.get("/api/hsds/openapi.json").content.decode()
    parameters = document["paths"]["/services"]["get"]["parameters"]
    services = {parameter["$ref"].rsplit("/", 1)[1] for parameter in parameters}
    assert {"search", "taxonomy_term_id", "postcode", "proximity", "page", "per_page", "size"} <= services
