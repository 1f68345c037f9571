"""The HSDS 3.0 API under /api/hsds/: read-only, public, in HSDS's JSON shapes (shapes.py)
with the ids of the export (records.py), as the specification's openapi.json defines it.

Lists are pages in HSDA's keys (total_items, total_pages, page_number, size, first_page,
last_page, empty, contents), asked for with `page` and `per_page` (`size` is taken too, as
the name of the key that answers it). A page past the last is empty, not an error. Every
parameter must be one the endpoint knows and usable: otherwise 400, naming each, in the
same shape as /api/centers/. Unknown ids are 404.
"""

import math
from collections.abc import Callable
from functools import wraps

from django import forms
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from directory.hsds import ids
from directory.hsds.filters import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGING,
    OrganizationFilterSet,
    PageForm,
    ServiceFilterSet,
    TaxonomyListForm,
    TermListForm,
)
from directory.hsds.openapi import openapi_document
from directory.hsds.records import centers_records, taxonomy_record, taxonomy_terms
from directory.hsds.shapes import organization_full, organization_summary, service_full, service_summary
from directory.hsds.spec import HSDS_DOCS_URL, HSDS_VERSION
from directory.models import Center
from directory.search.query import search_count, search_rows


def hsds_endpoint(view: Callable) -> Callable:
    """GET only, and readable from any web page: this is public open data, sent without cookies."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _errors_response(errors: dict) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=400)


def _not_found(what: str) -> JsonResponse:
    return JsonResponse({"detail": f"No {what} has this id."}, status=404)


def _parameter_errors(request, known: list[str]) -> dict[str, list[str]]:
    """Unknown parameters, empty ones, and parameters given more than once that take one value."""
    errors = {}
    for name, values in request.GET.lists():
        if name not in known:
            listed = ", ".join(known) if known else "none"
            errors[name] = [f"Unknown parameter. This endpoint takes: {listed}."]
        elif len(values) > 1 and name != "taxonomy_term_id":
            errors[name] = ["Give this parameter once."]
        elif "" in values:
            errors[name] = ["Give this parameter a value, or leave it out."]
    return errors


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _page(items: list | None, *, total: int, number: int, size: int) -> JsonResponse:
    total_pages = math.ceil(total / size)
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": number,
            "size": size,
            "first_page": number == 1,
            "last_page": number >= total_pages,
            "empty": not items,
            "contents": items or [],
        }
    )


def _checked(request, *, known: list[str], form: forms.Form | None = None) -> dict | JsonResponse:
    """The cleaned paging options, `form` validated, or a 400 response naming every problem."""
    errors = _parameter_errors(request, known)
    paging = PageForm(request.GET)
    paging.is_valid()
    errors.update({name: messages for name, messages in _form_errors(paging).items() if name in known})
    if form is not None and not form.is_valid():
        errors.update(_form_errors(form))
    if errors:
        return _errors_response(errors)
    return paging.cleaned_data


def _centers_page(filterset, options: dict, shape: Callable) -> JsonResponse:
    """A page of the filterset's centers, each in `shape`, in five or six queries whatever its size.

    Without the listing's parameters: the filterset's QuerySet, by name. With them only: a
    page of the listing's search, as the listing has it. With both: every match of the
    search, in its order, that the QuerySet also holds (HSDA's parameters all apply).
    """
    size, number = options["page_size"], options["page"]
    start = (number - 1) * size
    criteria = filterset.criteria
    if criteria is None:
        queryset = filterset.qs
        total = queryset.count()
        pks = list(queryset.values_list("pk", flat=True)[start : start + size]) if total else []
    elif not filterset.has_conditions:
        rows, total = search_rows(criteria, limit=size, offset=start)
        pks = [row.id for row in rows]
        if not rows and start:
            total = search_count(criteria)  # the page is past the end: the count came with no row
    else:
        rows, _ = search_rows(criteria, limit=MAX_PAGE * MAX_PAGE_SIZE, count=False)  # every match
        allowed = set(filterset.qs.filter(pk__in=[row.id for row in rows]).values_list("pk", flat=True))
        matches = [row.id for row in rows if row.id in allowed]
        total, pks = len(matches), matches[start : start + size]
    records = centers_records(Center.objects.filter(pk__in=pks)) if pks else {}
    return _page([shape(records[pk]) for pk in pks], total=total, number=number, size=size)


def _list_page(items: list[dict], options: dict) -> JsonResponse:
    size, number = options["page_size"], options["page"]
    return _page(items[(number - 1) * size : number * size], total=len(items), number=number, size=size)


@hsds_endpoint
def meta(request):
    if errors := _parameter_errors(request, []):
        return _errors_response(errors)
    return JsonResponse(
        {
            "version": HSDS_VERSION,
            "profile": HSDS_DOCS_URL,
            "openapi_url": request.build_absolute_uri("/api/hsds/openapi.json"),
        }
    )


@hsds_endpoint
def openapi(request):
    if errors := _parameter_errors(request, []):
        return _errors_response(errors)
    return JsonResponse(openapi_document(server_url=request.build_absolute_uri("/api/hsds")))


@hsds_endpoint
def service_list(request):
    filterset = ServiceFilterSet(request.GET, queryset=Center.objects.all())
    options = _checked(request, known=[*filterset.filters, *PAGING, "full"], form=filterset.form)
    if isinstance(options, JsonResponse):
        return options
    return _centers_page(filterset, options, service_full if options["full"] else service_summary)


@hsds_endpoint
def service_detail(request, id: str):
    if errors := _parameter_errors(request, []):
        return _errors_response(errors)
    service = ids.parse_uuid(id)
    pk = ids.services.center_pk(str(service)) if service else None
    records = centers_records(Center.objects.visible().filter(pk=pk)).get(pk) if pk else None
    if records is None or records.service["id"] != str(service):
        return _not_found("service")
    return JsonResponse(service_full(records))


@hsds_endpoint
def organization_list(request):
    filterset = OrganizationFilterSet(request.GET, queryset=Center.objects.all())
    options = _checked(request, known=[*filterset.filters, *PAGING, "full", "full_service"], form=filterset.form)
    if isinstance(options, JsonResponse):
        return options
    if options["full"] or options["full_service"]:

        def shape(records):
            return organization_full(records, full_services=options["full_service"])
    else:
        shape = organization_summary
    return _centers_page(filterset, options, shape)


@hsds_endpoint
def organization_detail(request, id: str):
    options = _checked(request, known=["full_service"])
    if isinstance(options, JsonResponse):
        return options
    organization = ids.parse_uuid(id)
    centers = Center.objects.visible().filter(public_id=organization) if organization else Center.objects.none()
    records = next(iter(centers_records(centers).values()), None)
    if records is None:
        return _not_found("organization")
    return JsonResponse(organization_full(records, full_services=options["full_service"]))


def _matches(record: dict, text: str) -> bool:
    text = text.casefold()
    return any(text in str(record.get(name, "")).casefold() for name in ("name", "code", "description"))


@hsds_endpoint
def taxonomy_list(request):
    form = TaxonomyListForm(request.GET)
    options = _checked(request, known=["search", *PAGING], form=form)
    if isinstance(options, JsonResponse):
        return options
    taxonomies = [taxonomy for taxonomy in [taxonomy_record()] if _matches(taxonomy, form.cleaned_data["search"])]
    return _list_page(taxonomies, options)


@hsds_endpoint
def taxonomy_detail(request, id: str):
    if errors := _parameter_errors(request, []):
        return _errors_response(errors)
    taxonomy = taxonomy_record()
    if str(ids.parse_uuid(id)) != taxonomy["id"]:
        return _not_found("taxonomy")
    return JsonResponse(taxonomy)


@hsds_endpoint
def taxonomy_term_list(request):
    terms = taxonomy_terms()
    form = TermListForm(request.GET, terms=terms)
    options = _checked(request, known=["search", "taxonomy_id", "parent_id", "top_only", *PAGING], form=form)
    if isinstance(options, JsonResponse):
        return options
    wanted = form.cleaned_data
    if wanted["parent_id"]:
        terms = [term for term in terms if term.get("parent_id") == wanted["parent_id"]]
    if wanted["top_only"]:
        terms = [term for term in terms if "parent_id" not in term]
    return _list_page([term for term in terms if _matches(term, wanted["search"])], options)


@hsds_endpoint
def taxonomy_term_detail(request, id: str):
    if errors := _parameter_errors(request, []):
        return _errors_response(errors)
    wanted = str(ids.parse_uuid(id))
    term = next((term for term in taxonomy_terms() if term["id"] == wanted), None)
    if term is None:
        return _not_found("taxonomy term")
    return JsonResponse(term)
