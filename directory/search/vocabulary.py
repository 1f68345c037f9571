"""The lookup vocabularies a search page needs (treatments, settings, payment, ages,
languages): read in one query, and kept in the cache.

The filter form, its chips and the result cards all name these terms. They change only
when staff edit a lookup, so searches read them from the cache instead of five tables.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import CharField, F, Value

from directory.models import AgeGroup, CareSetting, Language, PaymentOption, Treatment

# Query parameter -> lookup model. The order is the order of the filter form.
VOCABULARIES = {
    "treatment": Treatment,
    "setting": CareSetting,
    "payment": PaymentOption,
    "age": AgeGroup,
    "language": Language,
}


@dataclass(frozen=True)
class Term:
    id: int
    slug: str
    name: str
    short_name: str  # treatments only; the name for the others


@dataclass
class Vocabulary:
    terms: dict[str, list[Term]] = field(default_factory=dict)
    # A digest of every term: part of the cache key of fragments drawn from them (the search form).
    version: str = ""

    def slugs(self, parameter: str) -> frozenset[str]:
        return frozenset(term.slug for term in self.terms.get(parameter, []))

    def choices(self, parameter: str) -> list[tuple[str, str]]:
        return [(term.slug, term.name) for term in self.terms.get(parameter, [])]

    def by_slug(self, parameter: str) -> dict[str, Term]:
        return {term.slug: term for term in self.terms.get(parameter, [])}

    def treatments_by_id(self) -> dict[int, Term]:
        return {term.id: term for term in self.terms.get("treatment", [])}


CACHE_KEY = "directory:search-vocabulary"
VERSION_KEY = "directory:search-vocabulary-version"
CACHE_SECONDS = 300
# This process's copy, used while the cache holds its version: reading the whole vocabulary
# back from the cache on every search (unpickling a hundred terms) costs more than the
# rest of the search's Python.
_held: Vocabulary | None = None


def vocabulary_load() -> Vocabulary:
    """Every term of every search vocabulary, from the cache (staff edits to a lookup clear
    it: see vocabulary_forget()); at worst five minutes old when edited another way."""
    global _held
    if _held is not None and cache.get(VERSION_KEY) == _held.version:
        return _held
    vocabulary = cache.get(CACHE_KEY)
    if vocabulary is None:
        vocabulary = vocabulary_read()
        cache.set(CACHE_KEY, vocabulary, CACHE_SECONDS)
    cache.set(VERSION_KEY, vocabulary.version, CACHE_SECONDS)
    _held = vocabulary
    return vocabulary


def vocabulary_forget() -> None:
    """Every process reads the vocabulary again on its next search."""
    cache.delete_many([CACHE_KEY, VERSION_KEY])


def vocabulary_read() -> Vocabulary:
    """Every term of every search vocabulary, in each vocabulary's display order."""
    queries = []
    for parameter, model in VOCABULARIES.items():
        short_name = F("short_name") if model is Treatment else F("name")
        queries.append(
            model.objects.order_by()
            .annotate(parameter=Value(parameter, output_field=CharField()), short=short_name)
            .values_list("parameter", "id", "slug", "name", "short", "sort_order")
        )
    rows = queries[0].union(*queries[1:], all=True)
    vocabulary = Vocabulary(terms={parameter: [] for parameter in VOCABULARIES})
    for parameter, pk, slug, name, short, _sort_order in sorted(rows, key=lambda row: (row[0], row[5], row[3])):
        vocabulary.terms[parameter].append(Term(pk, slug, name, short))
    vocabulary.version = hashlib.blake2b(repr(vocabulary.terms).encode(), digest_size=8).hexdigest()
    return vocabulary
