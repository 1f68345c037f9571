"""The directory's seeded terms (treatments, settings, payment, ages, languages, crisis
services) in the Spanish catalogue.

Their English names and summaries live in the database (directory/migrations/0002 and
later), where staff may edit them; pages show them through `term_label()`, which looks the
English text up in the catalogue under the context "directory term". A term whose English
text staff have changed shows that English text until the catalogue learns it, never a
stale translation. The list below is what `make messages` collects (xgettext needs the
context spelled out in each call); a test checks that every term in the database is in it.
"""

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "directory term"


def term_label(text: str) -> str:
    """A term's name or summary in the active language (English when the catalogue lacks it)."""
    return pgettext(CONTEXT, text) if text else text


SEEDED_TERMS = [
    # Treatments: name, short name, summary.
    pgettext_lazy("directory term", "Transcranial magnetic stimulation (TMS)"),
    pgettext_lazy("directory term", "TMS"),
    pgettext_lazy(
        "directory term",
        "Magnetic pulses from a coil held against the scalp stimulate the brain areas that regulate mood. You stay "
        "awake and drive yourself home; a course is usually a short session each weekday for four to six weeks. "
        "FDA-cleared for depression since 2008.",
    ),
    pgettext_lazy("directory term", "Ketamine infusion"),
    pgettext_lazy("directory term", "Ketamine"),
    pgettext_lazy(
        "directory term",
        "Low doses of ketamine given through an IV, usually as a series of infusions in a clinic. It can ease "
        "depression within hours to days for some people. Its use for depression is off-label.",
    ),
    pgettext_lazy("directory term", "Esketamine nasal spray (Spravato)"),
    pgettext_lazy("directory term", "Esketamine"),
    pgettext_lazy(
        "directory term",
        "A nasal spray related to ketamine, FDA-approved for treatment-resistant depression in 2019. It is only "
        "given in certified clinics, where you stay for at least two hours after each dose, and you must not drive "
        "until the next day.",
    ),
    pgettext_lazy("directory term", "Electroconvulsive therapy (ECT)"),
    pgettext_lazy("directory term", "ECT"),
    pgettext_lazy(
        "directory term",
        "A brief, controlled seizure induced under general anesthesia, usually two or three times a week for "
        "several weeks. It is one of the most effective treatments for severe depression.",
    ),
    pgettext_lazy("directory term", "Vagus nerve stimulation (VNS)"),
    pgettext_lazy("directory term", "VNS"),
    pgettext_lazy(
        "directory term",
        "A small device implanted under the skin of the chest sends regular, mild pulses to the vagus nerve. "
        "FDA-approved in 2005 for long-lasting depression that several treatments have not helped; benefits build "
        "over months.",
    ),
    pgettext_lazy("directory term", "Psychedelic-assisted therapy"),
    pgettext_lazy("directory term", "Psychedelic therapy"),
    pgettext_lazy(
        "directory term",
        "Psilocybin given with preparation and support from trained staff. It is studied in clinical trials and "
        "offered in state-licensed programs in Oregon and Colorado, but it is not FDA-approved for depression.",
    ),
    pgettext_lazy("directory term", "Cognitive behavioral therapy (CBT)"),
    pgettext_lazy("directory term", "CBT"),
    pgettext_lazy(
        "directory term",
        "A structured talking therapy that helps you notice and change patterns of thinking and behavior that keep "
        "depression going, usually weekly for several months.",
    ),
    pgettext_lazy("directory term", "Interpersonal therapy (IPT)"),
    pgettext_lazy("directory term", "IPT"),
    pgettext_lazy(
        "directory term",
        "A time-limited talking therapy that focuses on relationships, role changes, conflict and grief, and how "
        "they affect mood.",
    ),
    pgettext_lazy("directory term", "Dialectical behavior therapy (DBT)"),
    pgettext_lazy("directory term", "DBT"),
    pgettext_lazy(
        "directory term",
        "A skills-based therapy for intense emotions, combining individual sessions with group skills training in "
        "mindfulness, distress tolerance, emotion regulation and relationships.",
    ),
    pgettext_lazy("directory term", "Psychiatric medication management"),
    pgettext_lazy("directory term", "Medication management"),
    pgettext_lazy(
        "directory term",
        "Regular visits with a psychiatrist or psychiatric nurse practitioner to adjust doses, switch or combine "
        "medicines, and check side effects, often the first step when a medicine has not worked.",
    ),
    # Care settings.
    pgettext_lazy("directory term", "Inpatient (hospital)"),
    pgettext_lazy("directory term", "Outpatient"),
    pgettext_lazy("directory term", "Residential"),
    pgettext_lazy("directory term", "Partial hospitalization (day program)"),
    pgettext_lazy("directory term", "Intensive outpatient"),
    pgettext_lazy("directory term", "Telehealth"),
    # Payment.
    pgettext_lazy("directory term", "Medicare"),
    pgettext_lazy("directory term", "Medicaid"),
    pgettext_lazy("directory term", "Private insurance"),
    pgettext_lazy("directory term", "TRICARE / military insurance"),
    pgettext_lazy("directory term", "VA (Veterans Affairs)"),
    pgettext_lazy("directory term", "Self-pay (cash)"),
    pgettext_lazy("directory term", "Sliding fee scale"),
    pgettext_lazy("directory term", "Payment assistance"),
    # Ages.
    pgettext_lazy("directory term", "Children and adolescents"),
    pgettext_lazy("directory term", "Young adults"),
    pgettext_lazy("directory term", "Adults"),
    pgettext_lazy("directory term", "Seniors"),
    # Languages.
    pgettext_lazy("directory term", "Spanish"),
    pgettext_lazy("directory term", "American Sign Language (ASL)"),
    pgettext_lazy("directory term", "Arabic"),
    pgettext_lazy("directory term", "Chinese"),
    pgettext_lazy("directory term", "Haitian Creole"),
    pgettext_lazy("directory term", "Farsi"),
    pgettext_lazy("directory term", "French"),
    pgettext_lazy("directory term", "German"),
    pgettext_lazy("directory term", "Greek"),
    pgettext_lazy("directory term", "Hebrew"),
    pgettext_lazy("directory term", "Hindi"),
    pgettext_lazy("directory term", "Hmong"),
    pgettext_lazy("directory term", "Italian"),
    pgettext_lazy("directory term", "Japanese"),
    pgettext_lazy("directory term", "Korean"),
    pgettext_lazy("directory term", "Polish"),
    pgettext_lazy("directory term", "Portuguese"),
    pgettext_lazy("directory term", "Russian"),
    pgettext_lazy("directory term", "Tagalog"),
    pgettext_lazy("directory term", "Vietnamese"),
    pgettext_lazy("directory term", "Ojibwa"),
    pgettext_lazy("directory term", "Yupik"),
    pgettext_lazy("directory term", "American Indian or Alaska Native languages"),
    pgettext_lazy("directory term", "Other languages"),
    # Crisis services.
    pgettext_lazy("directory term", "Psychiatric emergency walk-in"),
    pgettext_lazy("directory term", "Mobile crisis team"),
    pgettext_lazy("directory term", "Crisis intervention team"),
    pgettext_lazy("directory term", "Psychiatric emergency services on site"),
    pgettext_lazy("directory term", "Suicide prevention services"),
    # The guide's topics (articles/migrations/0002_seed_topics.py): name and description.
    pgettext_lazy("directory term", "Understanding depression"),
    pgettext_lazy("directory term", "What treatment-resistant depression is, and the signs to watch for."),
    pgettext_lazy("directory term", "Treatment options"),
    pgettext_lazy("directory term", "How each treatment works, what a course is like, and what the evidence says."),
    pgettext_lazy("directory term", "Finding care"),
    pgettext_lazy("directory term", "Choosing a center, paying for care, and the questions to ask."),
    pgettext_lazy("directory term", "Everyday support"),
    pgettext_lazy("directory term", "Habits and connections that support treatment, never replace it."),
]
