"""Print the Flesch-Kincaid grade of every guide article in articles/content/.

The guide aims at grade 8 or lower (issue 17). This prints a number per article and marks
those above the target; it is not a test and always exits 0.

    .venv/bin/python bench/readability.py            # every article
    .venv/bin/python bench/readability.py --target 8 # the mark for "too hard" (default 8)

What is measured: the Markdown body and the FAQ answers, as a reader sees them (link
targets, inline citations like [2] and Markdown marks removed). Each heading, list item and
table row counts as a sentence of its own, as it reads that way.

The formula is Kincaid et al. (1975), the US Navy's Flesch-Kincaid grade level:

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Syllables are estimated with a plain rule, not a dictionary: groups of vowels (a e i o u y)
in a word, less a silent final "e" and a silent "-ed"/"-es"; an acronym such as "TMS" is
read letter by letter; a number counts one syllable per digit. Dictionary-based tools give
grades within about one grade of this on plain English, but their numbers are not identical.
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
import django  # noqa: E402

django.setup()

from articles.services import GuideSource, guide_sources  # noqa: E402

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9'’]+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
VOWELS = "aeiouy"


def silent_ending(part: str) -> bool:
    """A final "-ed" or "-es" that adds no syllable: "used", "makes", but not "needed", "uses"."""
    if len(part) < 4 or part[-3] in VOWELS:
        return False
    if part.endswith("ed"):
        return not part.endswith(("ted", "ded"))
    if part.endswith("es"):
        return not part.endswith(("ses", "zes", "xes", "ces", "ges", "shes", "ches"))
    return False


def syllables(word: str) -> int:
    if word.isdigit():
        return len(word)
    if len(word) > 1 and word.isupper() and word.isalpha():
        return len(word)  # an acronym, read letter by letter
    total = 0
    for part in word.lower().replace("’", "'").split("-"):
        part = part.strip("'")
        if not part:
            continue
        count = len(re.findall(r"[aeiouy]+", part))
        silent_e = part.endswith("e") and not part.endswith(("le", "ee", "ye"))
        if count > 1 and (silent_e or silent_ending(part)):
            count -= 1
        total += max(count, 1)
    return max(total, 1)


def plain_lines(markdown_text: str) -> list[str]:
    """The text a reader reads, one line per paragraph, heading, list item or table row.

    The guide's sources write each paragraph on one line (articles/content/FORMAT.md).
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)  # links: keep the words
    text = re.sub(r"\[\d{1,3}\]", "", text)  # inline citations
    text = re.sub(r"[*_`>#|]", " ", text)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", line).strip()
        if line and not re.fullmatch(r"[-:\s]+", line):
            lines.append(line)
    return lines


def grade_of(lines: list[str]) -> tuple[float, int, int, int]:
    sentences = words = syll = 0
    for line in lines:
        for sentence in SENTENCE_END.split(line):
            tokens = WORD.findall(sentence)
            if not tokens:
                continue
            sentences += 1
            words += len(tokens)
            syll += sum(syllables(token) for token in tokens)
    if not words:
        return 0.0, 0, 0, 0
    grade = 0.39 * (words / sentences) + 11.8 * (syll / words) - 15.59
    return grade, words, sentences, syll


def article_text(source: GuideSource) -> list[str]:
    answers = [item["answer"] for item in source.meta.get("faq") or []]
    return plain_lines(source.body) + answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=8.0, help="grades above this are marked (default 8)")
    args = parser.parse_args()
    rows = []
    for source in guide_sources():
        grade, words, sentences, syll = grade_of(article_text(source))
        rows.append((source.meta["slug"], grade, words, sentences, syll / words if words else 0.0))
    width = max(len(row[0]) for row in rows)
    print(f"{'article':<{width}}  grade  words  sentences  words/sentence  syllables/word")
    for slug, grade, words, sentences, per_word in rows:
        mark = "  above target" if grade > args.target else ""
        ratios = f"{words / sentences:14.1f}  {per_word:14.2f}"
        print(f"{slug:<{width}}  {grade:5.1f}  {words:5d}  {sentences:9d}  {ratios}{mark}")
    grades = [row[1] for row in rows]
    mean = sum(grades) / len(grades)
    print(f"{len(rows)} articles; grade min {min(grades):.1f}, mean {mean:.1f}, max {max(grades):.1f}")
    above = [row[0] for row in rows if row[1] > args.target]
    print(f"above grade {args.target:g}: {', '.join(above) if above else 'none'}")


if __name__ == "__main__":
    main()
