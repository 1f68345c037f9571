"""Who a facility is, across rows and across years: its identity, source key, name and slug."""

import hashlib
import re

from django.utils.text import slugify

from directory.importers.parsing import clean, normalize_zip

SOURCE_KEY_MAX = 200  # Center.source_key
NAME_MAX = 200  # Center.name
SLUG_MAX = 220  # Center.slug

# name1 sometimes breaks mid-phrase and name2 carries on: "Personal Enrichment Through" +
# "MH Servs/(PEMHS)". When name1 ends with one of these words the two are one name.
CONTINUATION_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "through", "to", "with", "&"})


def identity_key(name1: str, name2: str, street1: str, zip_code: str) -> str:
    """`(name1, name2, street1, zip)` compared case- and whitespace-insensitively, as one string.

    It is also the center's `source_key` (shortened with a hash past 200 characters), so
    staff can search the admin by it and a later import finds the same center.
    """
    parts = [clean(part).casefold() for part in (name1, name2, street1)]
    parts.append(normalize_zip(zip_code))
    key = "|".join(parts)
    if len(key) > SOURCE_KEY_MAX:
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        key = f"{key[: SOURCE_KEY_MAX - 17]}#{digest}"
    return key


def display_name(name1: str, name2: str) -> str:
    """A readable center name from the directory's two name lines.

    'Meridian Behavioral Healthcare Inc' + 'Levy County Clinic' -> 'Meridian Behavioral
    Healthcare Inc - Levy County Clinic'; a name2 that repeats or contains name1 is not
    repeated; a name1 that breaks mid-phrase is joined to name2 with a space.
    """
    name1, name2 = clean(name1), clean(name2)
    if not name1 or not name2:
        name = name1 or name2
    elif name2.casefold() in name1.casefold():
        name = name1
    elif name2.casefold().startswith(name1.casefold()):
        name = name2
    elif name1.split()[-1].casefold() in CONTINUATION_WORDS or name2[0].islower():
        name = f"{name1} {name2}"
    else:
        name = f"{name1} - {name2}"
    return name[:NAME_MAX].strip()


def slug_candidate(name: str, city: str, state: str) -> str:
    """'Harbor Clinic', 'Jacksonville', 'FL' -> 'harbor-clinic-jacksonville-fl'."""
    base = slugify(f"{name} {city} {state}") or "center"
    return re.sub(r"-+$", "", base[: SLUG_MAX - 6])


def allocate_slug(candidate: str, taken: set[str]) -> str:
    """The candidate, or the candidate with -2, -3, ... when it is taken; the result is added to `taken`."""
    slug, serial = candidate, 1
    while slug in taken:
        serial += 1
        slug = f"{candidate}-{serial}"
    taken.add(slug)
    return slug
