"""Many fictional centers on real US ZIP codes, for benchmarks and load tests.

`centers_generate(count=10_000)` spreads published centers over the active standard ZIP
codes that the `zipcodes` package ships (so searches by ZIP or city find them as they
would real listings), each with one to four treatments and their details, care
settings, payment options, age groups and sometimes languages and crisis services.
Everything is invented and marked `is_demo` (the site shows its demo notice); slugs start
with `generated-` so `centers_generated_delete()` removes exactly these rows.
"""

import random
from datetime import date, timedelta

import zipcodes
from django.db import transaction
from django.utils.text import slugify

from directory.context_processors import demo_flag_forget
from directory.demo import HOURS, NAME_FIRST, NAME_SECOND, STREETS, WAITS, _detail_for
from directory.fragments import directory_changed
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
from directory.search.index import centers_refresh_search

SLUG_PREFIX = "generated-"
SOURCE = "Generated for benchmarks (fictional)"
BATCH = 1000
TERRITORIES = {"PR", "GU", "VI", "AS", "MP", "FM", "MH", "PW", "AA", "AE", "AP"}
# Treatments drawn for each center, roughly as common as they are in real directories.
TREATMENT_WEIGHTS = {
    "medication-management": 6,
    "cbt": 6,
    "tms": 4,
    "dbt": 3,
    "ipt": 2,
    "ketamine": 2,
    "esketamine": 2,
    "ect": 1,
    "vns": 1,
    "psychedelic": 1,
}


def _zip_rows() -> list[dict]:
    return [
        row
        for row in zipcodes.list_all()
        if row["active"] and row["zip_code_type"] == "STANDARD" and row["state"] not in TERRITORIES and row["lat"]
    ]


def centers_generate(*, count: int, seed: int = 0) -> int:
    """Create `count` generated centers in bulk; returns how many exist afterwards."""
    rng = random.Random(seed)
    zips = _zip_rows()
    treatments = {t.slug: t for t in Treatment.objects.all()}
    weighted = [slug for slug, weight in TREATMENT_WEIGHTS.items() if slug in treatments for _ in range(weight)]
    lookups = {
        model: list(model.objects.all()) for model in (CareSetting, PaymentOption, AgeGroup, Language, CrisisService)
    }
    start = Center.objects.filter(slug__startswith=SLUG_PREFIX).count()
    today = date.today()
    for batch_start in range(start, start + count, BATCH):
        numbers = range(batch_start, min(batch_start + BATCH, start + count))
        with transaction.atomic():
            centers = []
            for n in numbers:
                name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_SECOND)} {n + 1}"
                verified = today - timedelta(days=rng.randint(0, 500)) if rng.random() < 0.8 else None
                centers.append(
                    Center(
                        name=name,
                        slug=f"{SLUG_PREFIX}{slugify(name)}",
                        description="A fictional center generated for load tests.",
                        phone=f"(555) 01{n % 100:02d}-{n % 10000:04d}",
                        website=f"https://generated-{n + 1}.example.org/",
                        status=Center.Status.PUBLISHED,
                        is_demo=True,
                        source=SOURCE,
                        source_key=f"generated:{n + 1}",
                        last_verified_on=verified,
                        verification_method=Center.VerificationMethod.PHONE if verified else "",
                        accepting_new_patients=rng.choice(Center.Accepting.values),
                        typical_wait=rng.choice(WAITS),
                    )
                )
            centers = Center.objects.bulk_create(centers)
            locations, details = [], []
            links: dict[type, list] = {model: [] for model in lookups}
            for center in centers:
                row = rng.choice(zips)
                locations.append(
                    Location(
                        center=center,
                        street1=f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
                        city=row["city"].title(),
                        city_slug=slugify(row["city"]),
                        state=row["state"],
                        zip=row["zip_code"],
                        latitude=float(row["lat"]),
                        longitude=float(row["long"]),
                        hours=rng.choice(HOURS),
                        wheelchair_accessible=rng.choice([True, None]),
                    )
                )
                for slug in sorted(set(rng.sample(weighted, rng.randint(1, 4)))):
                    details.append(CenterTreatment(center=center, treatment=treatments[slug], **_detail_for(slug, rng)))
                for model, rows in lookups.items():
                    if not rows or (model in (Language, CrisisService) and rng.random() < 0.7):
                        continue
                    through = getattr(Center, _m2m_name(model)).through
                    for item in rng.sample(rows, rng.randint(1, min(3, len(rows)))):
                        links[model].append(through(center_id=center.pk, **{f"{model._meta.model_name}_id": item.pk}))
            Location.objects.bulk_create(locations)  # bulk_create skips save(): city_slug is set above
            CenterTreatment.objects.bulk_create(details)
            for rows in links.values():
                if rows:
                    type(rows[0]).objects.bulk_create(rows)
    generated = Center.objects.filter(slug__startswith=SLUG_PREFIX)
    centers_refresh_search(center_ids=generated.values_list("pk", flat=True))  # the search columns
    demo_flag_forget()  # bulk_create sent no signal: the demo notice must show from the next page on
    directory_changed()  # and the pages' kept fragments are drawn again
    return generated.count()


def _m2m_name(model) -> str:
    return {
        CareSetting: "care_settings",
        PaymentOption: "payment_options",
        AgeGroup: "age_groups",
        Language: "languages",
        CrisisService: "crisis_services",
    }[model]


def centers_generated_delete() -> int:
    deleted, _ = Center.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    return deleted
