"""The Spanish pages as a Spanish-speaking family meets them (issue 19): every public page
under /es/ in Spanish, the search, the center page and an inquiry end to end."""

import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from articles.selfcheck import ITEMS
from articles.services import guide_load
from directory.importers.codes import SHOWN_CODES, SHOWN_GROUPS
from directory.models import AgeGroup, CareSetting, CrisisService, Inquiry, Language, PaymentOption, Treatment
from directory.term_names import SEEDED_TERMS
from tests.directory.outreach_helpers import inquiry_data
from tests.factories import make_article, make_center

pytestmark = pytest.mark.django_db

# Sentences and labels of the English pages: none may appear on a Spanish page, outside
# what is marked lang="en" (an English article body, a center's English description,
# SAMHSA's own terms, the switcher's "English").
ENGLISH_STRINGS = [
    "In crisis or thinking about suicide",
    "Call or text",
    "More ways to get help now",
    "Skip to main content",
    "Find a center",
    "No paid placement",
    "Your privacy",
    "does not give medical advice",
    "Find care when depression",
    "Treatments for depression",
    "Understand your options",
    "Read the guide",
    "Change search and filters",
    "Only centers accepting new patients",
    "More filters",
    "Show centers",
    "centers within",
    "Active filters",
    "Clear all",
    "No centers match",
    "Accepting new patients",
    "Last verified",
    "not yet checked by us",
    "Details",
    "New-patient intake line",
    "Care, payment and access",
    "Languages besides English",
    "This form is not monitored",
    "Send my question",
    "Report a problem",
    "What happens next",
    "Your question was sent",
    "Thank you for your report",
    "Back to",
    "listed center",
    "Where TMS is offered",
    "near you",
    "Depression treatment centers in",
    "Search nearby",
    "What we do not do",
    "Questions you send to a center",
    "The treatment guide",
    "How we write the guide",
    "Not yet medically reviewed",
    "Common questions",
    "On this page",
    "We couldn't find that page",
    "Transcranial magnetic stimulation",
    "Ketamine infusion",
    "Outpatient",
    "Private insurance",
    "Spanish",
    "Download",
    "Group therapy",
    "Couples or family therapy",
    "Changes to this listing",
    "added to the directory",
    "is yours to take with you",
    "What is in it",
    "The same data as an API",
    "This article is only available in English",
    "In English",
    "Type of facility",
    "Programs for",
    "Health checks",
]


class VisibleText(HTMLParser):
    """The text a reader sees, leaving out scripts, styles and anything marked lang="en"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # for each open element: is it hidden from this check?
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        hidden = tag in {"script", "style"} or attributes.get("lang") == "en"
        self.stack.append(hidden or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def english_left(html: str) -> list[str]:
    text = VisibleText.of(html)
    return [phrase for phrase in ENGLISH_STRINGS if re.search(rf"\b{re.escape(phrase)}\b", text)]


@pytest.fixture
def quick_forms(settings):
    settings.FORM_MIN_SECONDS = 0
    settings.INTAKE_EMAIL = "intake@example.org"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def miami_center(db):
    center = make_center(
        name="Bayfront Mind Clinic",
        city="Miami",
        state="FL",
        zip_code="33130",
        latitude=25.7743,
        longitude=-80.1937,
        treatments=("ketamine", "tms"),
        source="SAMHSA National Directory 2022",
        source_codes="KIT TMS GT CFT * SP",
        accepting_new_patients="yes",
    )
    center.languages.add(Language.objects.get(slug="spanish"))
    center.care_settings.add(CareSetting.objects.get(slug="outpatient"))
    center.payment_options.add(PaymentOption.objects.get(slug="private-insurance"))
    from directory.search.index import centers_refresh_search

    centers_refresh_search(center_ids=[center.pk])
    return center


def test_every_public_page_under_es_is_in_spanish(client, miami_center, quick_forms):
    article = make_article(title="What treatment-resistant depression is", slug="what-is-trd")
    guide_load()  # the shipped guide, with its Spanish translations
    pages = [
        "/es/",
        "/es/centers/",
        "/es/centers/?near=Miami%2C+FL&treatment=ketamine",
        "/es/centers/?near=Miami%2C+FL&treatment=ect",
        "/es/centers/?near=Nowhereville%2C+ZZ",
        "/es" + miami_center.get_absolute_url(),
        "/es" + miami_center.get_absolute_url() + "ask/",
        "/es" + miami_center.get_absolute_url() + "report/",
        "/es/centers/fl/miami/",
        "/es/treatments/",
        "/es/treatments/tms/",
        "/es/treatments/tms/fl/miami/",
        "/es/privacy/",
        "/es/open-data/",
        "/es/guide/",
        "/es" + article.get_absolute_url(),
        "/es/guide/what-is-treatment-resistant-depression/",
        "/es/guide/tms-therapy/",
        "/es/guide/questions-to-ask-a-provider/",
        "/es/guide/questions-to-ask-a-provider/checklist/",
        "/es/guide/costs-insurance-and-prior-authorization/",
        "/es/guide/how-to-choose-a-treatment-center/",
        "/es/self-check/",
        "/es/centers/no-such-center/",
        "/es" + miami_center.get_absolute_url() + "ask/sent/",
        "/es" + miami_center.get_absolute_url() + "report/sent/",
        "/es/shortlist/",
        # The pages for centers' staff are English only: they say so in Spanish and mark their text lang="en".
        "/es" + miami_center.get_absolute_url() + "claim/",
        "/es" + miami_center.get_absolute_url() + "claim/sent/",
        "/es/list-your-center/",
        "/es/list-your-center/sent/",
        "/es/for-centers/sign-in/",
        "/es/for-centers/sign-in/sent/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert '<html lang="es">' in response.content.decode(), url
        assert english_left(response.content.decode()) == [], url


def test_a_spanish_family_searches_filters_opens_a_center_and_asks_in_spanish(client, miami_center, quick_forms):
    center_path = miami_center.get_absolute_url()
    home = client.get("/es/").content.decode()
    assert "Encuentre atención cuando la depresión no mejora" in home

    results = client.get("/es/centers/?near=Miami%2C+FL&treatment=ketamine").content.decode()
    assert "Centros de Ketamina cerca de Miami, FL" in results
    assert "Bayfront Mind Clinic" in results and "Detalles" in results
    chip = re.search(r'href="([^"]+)"><span aria-hidden="true">\+</span> Centros que hablan español', results)
    assert chip, "the one-tap chip for centers that speak Spanish"
    spanish_speaking = client.get(chip.group(1).replace("&amp;", "&")).content.decode()
    assert "language=spanish" in chip.group(1) and "treatment=ketamine" in chip.group(1)
    assert "Bayfront Mind Clinic" in spanish_speaking
    assert re.search(r'class="filter-chip" href="[^"]*">Español <span', spanish_speaking)
    assert "Centros que hablan español</a>" not in spanish_speaking, "no chip once the search asks for it"

    page = client.get("/es" + center_path).content.decode()
    assert "Haga una pregunta a Bayfront Mind Clinic" in page
    assert "Acepta pacientes nuevos" in page and "Ketamina" in page and "Español" in page
    assert f'href="/es{center_path}ask/"' in page  # the form is on its own page
    page = client.get("/es" + center_path + "ask/").content.decode()

    refused = client.post("/es" + center_path + "ask/", inquiry_data(page, phone="", email="")).content.decode()
    assert "Escriba un número de teléfono o un correo electrónico para que el centro pueda responderle." in refused
    assert not Inquiry.objects.exists()

    # Sent again from the page that showed the errors (its form carries a fresh, single-use stamp).
    response = client.post("/es" + center_path + "ask/", inquiry_data(refused))
    assert response.status_code == 302
    assert response["Location"].startswith("/es/centers/") and response["Location"].endswith("/ask/sent/")
    sent = client.get(response["Location"]).content.decode()
    assert "Su pregunta fue enviada" in sent and english_left(sent) == []
    assert Inquiry.objects.get().center == miami_center


def test_cached_cards_and_checkboxes_never_cross_languages(client, miami_center):
    url = "/centers/?near=Miami%2C+FL&treatment=ketamine"
    assert "Details" in client.get(url).content.decode()
    spanish = client.get("/es" + url).content.decode()
    assert "Detalles" in spanish and english_left(spanish) == []
    assert "Details" in client.get(url).content.decode()


def test_form_buttons_follow_the_page_language_after_the_other_language_was_shown(client, miami_center):
    # crispy-forms writes a drawn button label back into its layout: a layout shared between
    # views kept the first language drawn ("Send my question" on the Spanish ask page).
    for kind, english, spanish in (("ask", "Send my question", "Enviar mi pregunta"),
                                   ("report", "Send the report", "Enviar el reporte")):  # fmt: skip
        url = f"/centers/{miami_center.slug}/{kind}/"
        assert f'value="{english}"' in client.get(url).content.decode()
        assert f'value="{spanish}"' in client.get("/es" + url).content.decode()
        assert f'value="{english}"' in client.get(url).content.decode()


def test_every_seeded_term_has_a_spanish_name():
    """Treatments, settings, payment, ages, languages and crisis services as the migrations seed them."""
    with translation.override("en"):
        in_catalogue = {str(term) for term in SEEDED_TERMS}
    texts = set()
    for model in (Treatment, CareSetting, PaymentOption, AgeGroup, Language, CrisisService):
        texts.update(model.objects.values_list("name", flat=True))
    for treatment in Treatment.objects.all():
        texts.update([treatment.short_name, treatment.summary])
    assert texts - in_catalogue == set()
    with translation.override("es"):
        assert {str(term) for term in SEEDED_TERMS} != in_catalogue


def test_a_spanish_description_shows_on_spanish_pages_when_staff_give_one(client):
    center = make_center(name="Description Clinic", description="We offer TMS on weekdays.")
    path = center.get_absolute_url()
    spanish_page = client.get("/es" + path).content.decode()
    assert "We offer TMS on weekdays." in spanish_page
    assert "La descripción del centro, tal como nos la dieron en inglés" in spanish_page
    center.description_es = "Ofrecemos EMT de lunes a viernes."
    center.save()
    spanish_page = client.get("/es" + path).content.decode()
    assert "Ofrecemos EMT de lunes a viernes." in spanish_page and "We offer TMS on weekdays." not in spanish_page
    english_page = client.get(path).content.decode()
    assert "We offer TMS on weekdays." in english_page and "Ofrecemos EMT" not in english_page


def test_the_spanish_self_check_page_points_to_the_english_questionnaire(client):
    response = client.get("/es/self-check/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/self-check/"' in html and "Hacer la autoevaluación en inglés" in html
    assert all(item not in html for item in ITEMS), "the PHQ-9 is never shown in our own translation"
    assert ITEMS[0] in client.get("/self-check/").content.decode()


def test_spanish_articles_say_they_are_in_english_and_point_search_engines_to_it(client):
    path = make_article(title="Costs and insurance", slug="costs").get_absolute_url()
    html = client.get("/es" + path).content.decode()
    assert "Este artículo solo está disponible en inglés." in html
    assert f'<link rel="canonical" href="http://testserver{path}">' in html
    assert 'hreflang="es"' not in html.split("</head>")[0]


def test_an_inquiry_sent_from_a_spanish_page_mails_staff_in_english(client, miami_center, quick_forms, mailoutbox):
    """The e-mail goes to the center and to staff, who read English: its words, its date and its
    links stay English whatever language the visitor used (issue 19)."""
    path = "/es" + miami_center.get_absolute_url() + "ask/"
    response = client.post(path, inquiry_data(client.get(path).content.decode()))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    [email] = mailoutbox
    with translation.override("en"):
        english_date = date_format(localtime(inquiry.created_at), "N j, Y, P")
    assert f"A new inquiry for Bayfront Mind Clinic arrived on {english_date} (inquiry #{inquiry.pk})." in email.body
    assert "/es/" not in email.body and email.subject.startswith("New inquiry")


def test_a_treatment_page_marks_its_english_only_guide_article_as_english(client):
    guide_load()
    html = client.get("/es/treatments/tms/").content.decode()
    assert re.search(r'Lea nuestra guía: <span lang="en">TMS therapy for depression', html)
    assert "Read our guide: TMS therapy for depression" in client.get("/treatments/tms/").content.decode()


def test_the_center_page_names_the_directorys_other_services_in_spanish(client):
    """The source's codes beyond our lookups (facility type, programs, support, medications, health
    checks) are shown in our own plain words, so they are translated like the rest of the page."""
    center = make_center(name="Codes Clinic", source_codes="OMH PVTP GT CFT VET ARIPI HIVT")
    path = center.get_absolute_url()
    spanish = client.get("/es" + path).content.decode()
    for words in ("Tipo de centro", "Centro de salud mental ambulatorio", "Administrado por una organización privada",
                  "Terapia de grupo · Terapia de pareja o familiar", "Programas para", "Veteranos",
                  "Medicamentos que indica", "Aripiprazol", "Pruebas de VIH"):  # fmt: skip
        assert words in spanish, words
    assert english_left(spanish) == []
    english = client.get(path).content.decode()
    assert "<dt>Type of facility</dt><dd>Outpatient mental health facility, Run by a private for-profit" in english
    assert "Group therapy · Couples or family therapy" in english and "Tipo de centro" not in english


def test_every_shown_service_code_has_a_spanish_label():
    texts = list(SHOWN_GROUPS.values()) + [label for _group, label in SHOWN_CODES.values()]
    with translation.override("es"):
        untranslated = [text for text in texts if translation.gettext(text) == text]
    assert untranslated == []


def test_pages_for_centers_say_in_spanish_that_they_are_in_english(client):
    center = make_center(name="Claimable Clinic", website="https://claimable.example.org", phone="305-555-0100")
    for path in ("/list-your-center/", center.get_absolute_url() + "claim/", "/for-centers/sign-in/"):
        spanish = client.get("/es" + path).content.decode()
        assert '<html lang="es">' in spanish, path
        assert "Las páginas para centros de tratamiento solo están disponibles en inglés." in spanish, path
        main = spanish.split('<main id="main"')[1].split("</main>")[0]
        assert '<div lang="en">' in main, path
        english = client.get(path).content.decode()
        assert "solo están disponibles en inglés" not in english, path
