"""The HSDS 3.0 JSON shapes the API serves, nested from records.py's records.

- service: the "service" compiled schema: the service, its organization, phones, the
  service at each location with the location (its addresses, phones and schedules), and
  its attributes, each with its taxonomy term;
- service summary: the "service_list" schema (one-to-one fields and the organization);
- organization: the "organization" compiled schema (its phones, locations and services);
- organization summary: the "organization_list" schema.
"""

from directory.hsds.records import CenterRecords, Place


def location_full(place: Place) -> dict:
    return {**place.location, "addresses": place.addresses, "phones": place.phones, "schedules": place.schedules}


def service_full(records: CenterRecords, *, with_organization: bool = True) -> dict:
    service = dict(records.service)
    if with_organization:
        service["organization"] = dict(records.organization)
    service["phones"] = records.phones
    service["service_at_locations"] = [
        {**place.service_at_location, "location": location_full(place)} for place in records.places
    ]
    service["attributes"] = [
        {**attribute, "taxonomy_term": records.terms[attribute["taxonomy_term_id"]]} for attribute in records.attributes
    ]
    return service


def service_summary(records: CenterRecords) -> dict:
    return {**records.service, "organization": dict(records.organization)}


def organization_full(records: CenterRecords, *, full_services: bool = False) -> dict:
    """With `full_services`, its services are nested in full; else their one-to-one fields."""
    service = service_full(records, with_organization=False) if full_services else dict(records.service)
    return {
        **records.organization,
        "phones": records.phones,
        "locations": [location_full(place) for place in records.places],
        "services": [service],
    }


def organization_summary(records: CenterRecords) -> dict:
    return dict(records.organization)
