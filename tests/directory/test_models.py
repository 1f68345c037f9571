from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import (
    AgeGroup,
    CareSetting,
    Center,
    CenterTreatment,
    CrisisService,
    Language,
    Location,
    PaymentOption,
    Treatment,
)
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def test_migrations_seed_the_ten_treatments_with_categories_and_summaries():
    slugs = set(Treatment.objects.values_list("slug", flat=True))
    assert slugs == {
        "tms", "ketamine", "esketamine", "ect", "vns", "psychedelic", "cbt", "ipt", "dbt", "medication-management",
    }  # fmt: skip
    for treatment in Treatment.objects.all():
        assert treatment.category and len(treatment.summary) > 50


def test_migrations_seed_every_lookup_from_the_product_brief():
    assert set(CareSetting.objects.values_list("slug", flat=True)) == {
        "inpatient", "outpatient", "residential", "partial-hospitalization", "intensive-outpatient", "telehealth",
    }  # fmt: skip
    assert PaymentOption.objects.count() == 8
    assert set(AgeGroup.objects.values_list("slug", flat=True)) == {"children", "young-adults", "adults", "seniors"}
    assert Language.objects.filter(slug__in=["spanish", "asl"]).count() == 2
    assert CrisisService.objects.filter(slug__in=["walk-in", "mobile-crisis"]).count() == 2


def test_center_slugs_are_unique():
    make_center(slug="same-slug")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_center(slug="same-slug")


def test_a_location_cannot_have_impossible_coordinates():
    center = make_center()
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(
            center=center, street1="1 A St", city="X", state="FL", zip="32207", latitude=95, longitude=0
        )


def test_a_center_lists_each_treatment_once_and_prices_are_not_negative():
    center = make_center(treatments=("tms",))
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterTreatment.objects.create(center=center, treatment=Treatment.objects.get(slug="tms"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CenterTreatment.objects.create(center=center, treatment=Treatment.objects.get(slug="ect"), self_pay_price=-1)


def test_location_derives_its_city_slug_and_upper_case_state():
    center = make_center(city="Port St. Lucie", state="fl")
    location = center.locations.get()
    assert (location.city_slug, location.state) == ("port-st-lucie", "FL")
    assert location.get_city_url() == "/centers/fl/port-st-lucie/"
    assert str(location).endswith("Main Street, Port St. Lucie, FL 32207")


def test_published_offering_and_in_city_querysets():
    tms_jax = make_center(treatments=("tms",), city="Jacksonville")
    make_center(treatments=("ect",), city="Jacksonville")
    make_center(treatments=("tms",), city="Orlando")
    make_center(treatments=("tms",), status=Center.Status.DRAFT)
    closed = make_center(treatments=("tms",), status=Center.Status.CLOSED)
    published_tms = Center.objects.published().offering("tms")
    assert tms_jax in published_tms and closed not in published_tms
    assert published_tms.count() == 2
    assert list(Center.objects.published().offering("tms").in_city("fl", "jacksonville")) == [tms_jax]
    assert closed in Center.objects.visible()


def test_stale_means_never_verified_or_verified_over_a_year_ago():
    today = timezone.localdate()
    fresh = make_center(last_verified_on=today - timedelta(days=30))
    old = make_center(last_verified_on=today - timedelta(days=400))
    never = make_center()
    stale = set(Center.objects.stale())
    assert old in stale and never in stale and fresh not in stale


def test_string_forms_and_urls():
    center = make_center(name="Clear Path Clinic", slug="clear-path-clinic")
    assert str(center) == "Clear Path Clinic"
    assert center.get_absolute_url() == "/centers/clear-path-clinic/"
    tms = Treatment.objects.get(slug="tms")
    assert tms.get_absolute_url() == "/treatments/tms/"
    assert str(center.treatment_details.get()) == f"{tms} at Clear Path Clinic"
