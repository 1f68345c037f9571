"""Fictional demo centers, added on request (`make demo`) to show what a fully described
listing looks like; the site serves the real national directory without them.

Everything here is invented: names, 555-01xx phone numbers, example.org websites. Every
page shows a "demo data" notice while any of these centers exist. Coordinates are real
ZIP-code centres of real cities, so that searching works as it will with real data.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from directory import geo
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

# (city, state, area code, ZIP codes to place centers in)
DEMO_CITIES = [
    ("Jacksonville", "FL", "904", ["32207", "32256", "32204", "32216", "32246", "32210"]),
    ("Orlando", "FL", "407", ["32803", "32806", "32819", "32801", "32822"]),
    ("Atlanta", "GA", "404", ["30308", "30309", "30312", "30324", "30306"]),
    ("Chicago", "IL", "312", ["60611", "60614", "60607", "60640", "60616"]),
    ("Denver", "CO", "303", ["80203", "80206", "80218", "80220", "80209"]),
    ("Portland", "OR", "503", ["97205", "97209", "97214", "97232", "97201"]),
    ("Austin", "TX", "512", ["78701", "78705", "78731", "78704", "78745"]),
    ("Boston", "MA", "617", ["02114", "02115", "02118", "02215", "02130"]),
    ("Seattle", "WA", "206", ["98104", "98122", "98109", "98103", "98105"]),
    ("Phoenix", "AZ", "602", ["85004", "85006", "85012", "85016", "85018"]),
]

NAME_FIRST = [
    "Harbor Light", "Riverbend", "Clear Path", "Northstar", "Willow Creek", "Bayside",
    "Cedar Grove", "Lantern", "Open Door", "Evergreen", "Summit", "Still Water",
]  # fmt: skip
NAME_SECOND = [
    "Mind Health", "Brain Wellness Clinic", "TMS & Psychiatry", "Behavioral Health",
    "Mood Center", "Psychiatric Associates", "Counseling Center", "Neuromodulation Center",
]  # fmt: skip
STREETS = ["Main Street", "Oak Avenue", "River Road", "Park Boulevard", "Elm Street", "Lakeview Drive"]
HOURS = ["Mon-Fri 8am-5pm", "Mon-Thu 7am-7pm, Fri 7am-3pm", "Mon-Fri 9am-6pm, Sat 9am-1pm"]
WAITS = ["", "about 1 week", "about 2 weeks", "3 to 4 weeks", "same week"]

# Prices are fictional, in plausible ranges, so the price display has something to show.
PRICES = {
    "tms": (Decimal("250"), "per session"),
    "ketamine": (Decimal("450"), "per infusion"),
    "esketamine": (Decimal("900"), "per session, before insurance"),
    "psychedelic": (Decimal("2500"), "full program"),
}


def _detail_for(treatment_slug: str, rng: random.Random) -> dict:
    detail: dict = {"prior_authorization_help": rng.choice([True, False, None])}
    if treatment_slug == "tms":
        detail["tms_variant"] = rng.choice(CenterTreatment.TmsVariant.values)
    elif treatment_slug == "ketamine":
        detail["ketamine_route"] = rng.choice(CenterTreatment.KetamineRoute.values)
    elif treatment_slug == "esketamine":
        detail["spravato_rems_certified"] = True
    elif treatment_slug == "ect":
        detail["ect_setting"] = rng.choice(CenterTreatment.EctSetting.values)
    elif treatment_slug == "vns":
        detail["vns_role"] = rng.choice(CenterTreatment.VnsRole.values)
    elif treatment_slug == "psychedelic":
        detail["psychedelic_program"] = rng.choice(CenterTreatment.PsychedelicProgram.values)
    if treatment_slug in PRICES and rng.random() < 0.7:
        detail["self_pay_price"], detail["price_unit"] = PRICES[treatment_slug]
        if detail.get("ketamine_route", CenterTreatment.KetamineRoute.IV) != CenterTreatment.KetamineRoute.IV:
            detail["price_unit"] = "per session"  # only IV ketamine is an infusion
    return detail


@transaction.atomic
def demo_load(*, today: date | None = None) -> int:
    """Create or refresh the demo centers. Idempotent: the same rows every time."""
    today = today or date(2026, 11, 1)
    rng = random.Random(2026)
    treatments = list(Treatment.objects.all())
    settings_ = list(CareSetting.objects.all())
    payments = list(PaymentOption.objects.all())
    ages = list(AgeGroup.objects.all())
    languages = list(Language.objects.filter(slug__in=["spanish", "asl", "haitian-creole", "vietnamese"]))
    crisis = list(CrisisService.objects.all())
    count = 0
    for city_index, (city, state, area_code, zips) in enumerate(DEMO_CITIES):
        for n, zip_code in enumerate(zips):
            index = city_index * 6 + n
            name = f"{NAME_FIRST[index % len(NAME_FIRST)]} {NAME_SECOND[(index * 5 + city_index) % len(NAME_SECOND)]}"
            slug = slugify(f"{name} {city} {state}")
            place = geo.zip_place(zip_code)
            phone = f"({area_code}) 555-01{(index * 7) % 100:02d}"
            # Cycle through treatments so that every one is offered in several cities.
            offered = {treatments[(index + k) % len(treatments)] for k in range(rng.randint(2, 4))}
            if city == "Jacksonville" and n < 4:
                offered.add(next(t for t in treatments if t.slug == "tms"))
            center, _ = Center.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": (
                        f"{name} is a fictional demo center in {city}, {state}. It offers "
                        + ", ".join(sorted(t.short_name for t in offered))
                        + ". Real listings describe the team, the approach and what a first visit is like."
                    ),
                    "phone": phone,
                    "website": f"https://{slugify(name)}.example.org/",
                    "email": f"hello@{slugify(name)}.example.org",
                    "status": Center.Status.PUBLISHED,
                    "is_demo": True,
                    "accepting_new_patients": rng.choice(Center.Accepting.values),
                    "accepting_checked_on": today - timedelta(days=rng.randint(1, 60)),
                    "typical_wait": rng.choice(WAITS),
                    "source": "Demo data (fictional)",
                    "source_key": f"demo-{index}",
                    "last_verified_on": None if n == 4 else today - timedelta(days=rng.randint(5, 500)),
                    "verification_method": "" if n == 4 else rng.choice(Center.VerificationMethod.values),
                },
            )
            Location.objects.update_or_create(
                center=center,
                sort_order=0,
                defaults={
                    "label": "Main clinic",
                    "street1": f"{100 + index * 37} {STREETS[index % len(STREETS)]}",
                    "street2": "Suite 200" if n % 2 else "",
                    "city": city,
                    "state": state,
                    "zip": zip_code,
                    # Spread centers a little around the ZIP centre, as real addresses are.
                    "latitude": round(place.latitude + rng.uniform(-0.01, 0.01), 6),
                    "longitude": round(place.longitude + rng.uniform(-0.01, 0.01), 6),
                    "phone": phone,
                    "hours": rng.choice(HOURS),
                    "wheelchair_accessible": rng.choice([True, True, None]),
                },
            )
            CenterTreatment.objects.filter(center=center).exclude(treatment__in=offered).delete()
            for treatment in offered:
                CenterTreatment.objects.update_or_create(
                    center=center, treatment=treatment, defaults=_detail_for(treatment.slug, rng)
                )
            # Every lookup value appears somewhere: each center takes a rotating slice.
            center.care_settings.set([settings_[index % len(settings_)], settings_[(index + 1) % len(settings_)]])
            center.payment_options.set([payments[(index + k) % len(payments)] for k in range(3)])
            center.age_groups.set(ages[1:] if index % 3 else ages)
            center.languages.set([languages[index % len(languages)]] if index % 2 else [])
            center.crisis_services.set([crisis[index % len(crisis)]] if index % 4 == 0 else [])
            count += 1
    centers_refresh_search(center_ids=Center.objects.filter(is_demo=True).values_list("pk", flat=True))
    return count


def demo_remove() -> int:
    """Delete the demo centers (and with them their locations, treatments and links)."""
    deleted = 0
    for center in Center.objects.filter(is_demo=True):
        center.delete()  # one by one, so the change history and the demo flag hear of it
        deleted += 1
    return deleted
