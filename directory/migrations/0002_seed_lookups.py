"""Seed the treatments and lookup vocabularies. Their slugs are part of the public URLs."""

from django.db import migrations

TREATMENTS = [
    (
        "tms",
        "Transcranial magnetic stimulation (TMS)",
        "TMS",
        "neuromodulation",
        "Magnetic pulses from a coil held against the scalp stimulate the brain areas that regulate mood. "
        "You stay awake and drive yourself home; a course is usually a short session each weekday "
        "for four to six weeks. FDA-cleared for depression since 2008.",
        "tms-therapy",
    ),
    (
        "ketamine",
        "Ketamine infusion",
        "Ketamine",
        "medication",
        "Low doses of ketamine given through an IV, usually as a series of infusions in a clinic. "
        "It can ease depression within hours to days for some people. Its use for depression is off-label.",
        "ketamine-and-esketamine",
    ),
    (
        "esketamine",
        "Esketamine nasal spray (Spravato)",
        "Esketamine",
        "medication",
        "A nasal spray related to ketamine, FDA-approved for treatment-resistant depression in 2019. "
        "It is only given in certified clinics, where you stay for at least two hours after each dose, "
        "and you must not drive until the next day.",
        "ketamine-and-esketamine",
    ),
    (
        "ect",
        "Electroconvulsive therapy (ECT)",
        "ECT",
        "neuromodulation",
        "A brief, controlled seizure induced under general anesthesia, usually two or three times a week "
        "for several weeks. It is one of the most effective treatments for severe depression.",
        "electroconvulsive-therapy",
    ),
    (
        "vns",
        "Vagus nerve stimulation (VNS)",
        "VNS",
        "neuromodulation",
        "A small device implanted under the skin of the chest sends regular, mild pulses to the vagus "
        "nerve. FDA-approved in 2005 for long-lasting depression that several treatments have not helped; "
        "benefits build over months.",
        "vagus-nerve-stimulation",
    ),
    (
        "psychedelic",
        "Psychedelic-assisted therapy",
        "Psychedelic therapy",
        "emerging",
        "Psilocybin given with preparation and support from trained staff. It is studied in clinical "
        "trials and offered in state-licensed programs in Oregon and Colorado, but it is not FDA-approved "
        "for depression.",
        "psychedelic-assisted-therapy",
    ),
    (
        "cbt",
        "Cognitive behavioral therapy (CBT)",
        "CBT",
        "psychotherapy",
        "A structured talking therapy that helps you notice and change patterns of thinking and behavior "
        "that keep depression going, usually weekly for several months.",
        "psychotherapy-cbt-ipt-dbt",
    ),
    (
        "ipt",
        "Interpersonal therapy (IPT)",
        "IPT",
        "psychotherapy",
        "A time-limited talking therapy that focuses on relationships, role changes, conflict and grief, "
        "and how they affect mood.",
        "psychotherapy-cbt-ipt-dbt",
    ),
    (
        "dbt",
        "Dialectical behavior therapy (DBT)",
        "DBT",
        "psychotherapy",
        "A skills-based therapy for intense emotions, combining individual sessions with group skills "
        "training in mindfulness, distress tolerance, emotion regulation and relationships.",
        "psychotherapy-cbt-ipt-dbt",
    ),
    (
        "medication-management",
        "Psychiatric medication management",
        "Medication management",
        "medication",
        "Regular visits with a psychiatrist or psychiatric nurse practitioner to adjust doses, switch or "
        "combine medicines, and check side effects, often the first step when a medicine has not worked.",
        "what-is-treatment-resistant-depression",
    ),
]

LOOKUPS = {
    "CareSetting": [
        ("inpatient", "Inpatient (hospital)"),
        ("outpatient", "Outpatient"),
        ("residential", "Residential"),
        ("partial-hospitalization", "Partial hospitalization (day program)"),
        ("intensive-outpatient", "Intensive outpatient"),
        ("telehealth", "Telehealth"),
    ],
    "PaymentOption": [
        ("medicare", "Medicare"),
        ("medicaid", "Medicaid"),
        ("private-insurance", "Private insurance"),
        ("military-insurance", "TRICARE / military insurance"),
        ("va", "VA (Veterans Affairs)"),
        ("self-pay", "Self-pay (cash)"),
        ("sliding-fee", "Sliding fee scale"),
        ("payment-assistance", "Payment assistance"),
    ],
    "AgeGroup": [
        ("children", "Children and adolescents"),
        ("young-adults", "Young adults"),
        ("adults", "Adults"),
        ("seniors", "Seniors"),
    ],
    "Language": [
        ("spanish", "Spanish"),
        ("asl", "American Sign Language (ASL)"),
        ("arabic", "Arabic"),
        ("chinese", "Chinese"),
        ("haitian-creole", "Haitian Creole"),
        ("farsi", "Farsi"),
        ("french", "French"),
        ("german", "German"),
        ("greek", "Greek"),
        ("hebrew", "Hebrew"),
        ("hindi", "Hindi"),
        ("hmong", "Hmong"),
        ("italian", "Italian"),
        ("japanese", "Japanese"),
        ("korean", "Korean"),
        ("polish", "Polish"),
        ("portuguese", "Portuguese"),
        ("russian", "Russian"),
        ("tagalog", "Tagalog"),
        ("vietnamese", "Vietnamese"),
        ("ojibwa", "Ojibwa"),
        ("yupik", "Yupik"),
        ("native-american-languages", "American Indian or Alaska Native languages"),
        ("other-languages", "Other languages"),
    ],
    "CrisisService": [
        ("walk-in", "Psychiatric emergency walk-in"),
        ("mobile-crisis", "Mobile crisis team"),
        ("crisis-intervention-team", "Crisis intervention team"),
        ("emergency-onsite", "Psychiatric emergency services on site"),
        ("suicide-prevention", "Suicide prevention services"),
    ],
}


def seed(apps, schema_editor):
    Treatment = apps.get_model("directory", "Treatment")
    for order, (slug, name, short_name, category, summary, guide_slug) in enumerate(TREATMENTS):
        Treatment.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "category": category,
                "summary": summary,
                "guide_slug": guide_slug,
                "sort_order": order,
            },
        )
    for model_name, rows in LOOKUPS.items():
        model = apps.get_model("directory", model_name)
        for order, (slug, name) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
