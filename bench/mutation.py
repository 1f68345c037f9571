"""Mutation testing of the modules that hold the core rules (make mutation; not in CI: it is slow).

For each group below, a scratch copy of the tracked files goes to /tmp/mutation/<group>/, its
pyproject.toml gains a [tool.mutmut] section naming only that group's module and the tests
that exercise it, and mutmut (3.x) runs there: it breaks the module one small change at a
time (an operator, a constant, a comparison, a string) and runs, for each change, only the
selected tests that reach the changed function. A mutant is killed when a test fails.

    .venv/bin/python bench/mutation.py                 # every group
    .venv/bin/python bench/mutation.py hsds-ids geo    # some groups
    MUTATION_CHILDREN=4 .venv/bin/python bench/mutation.py

Prints killed / all per group, and each survivor's name; `cd /tmp/mutation/<group> &&
mutmut show NAME` shows its diff. Scores and the reasoning on survivors: bench/README.md.
Runs on SQLite (the default database): the PostgreSQL-only paths (the nearest match's walk)
are checked by the hand mutations recorded there, or on PostgreSQL:

    MUTATION_POSTGRES=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/mutation.py search
    MUTATION_NAMES="*facet_counts* *_one_word_sql*" ...   # only the mutants these patterns name
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = Path(os.environ.get("MUTATION_DIR", "/tmp/mutation"))  # noqa: S108 (scratch copies, rebuilt each run)
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"

# group: (the modules to mutate, the tests that exercise them)
HSDS_TESTS = [
    "tests/directory/hsds/test_ids.py",
    "tests/directory/hsds/test_export.py",
    "tests/directory/hsds/test_api.py",
]
OUTREACH_TESTS = [
    "tests/directory/test_inquiries.py",
    "tests/directory/test_reports.py",
    "tests/directory/test_roles.py",
]
VERIFICATION_TESTS = [
    "tests/directory/test_verification_and_history.py",
    "tests/directory/test_admin.py",
]
IMPORT_TESTS = [
    "tests/directory/test_import_samhsa.py",
    "tests/directory/test_import_history.py",
    "tests/directory/test_import_search.py",
]
SEARCH_TESTS = [
    "tests/directory/test_search_queries.py",
    "tests/directory/test_search_terms.py",
    "tests/directory/test_listing.py",
    "tests/directory/test_api.py",
]
# geo.py's own tests need no database, so a mutant's run takes about a second; they reach every
# function (the listing, search and "Use my location" tests reach the same ones through pages,
# at many times the cost a mutant).
GEO_TESTS = ["tests/directory/test_geo.py"]
GROUPS = {
    "hsds-ids": (["directory/hsds/ids.py"], HSDS_TESTS),
    "phq9": (["articles/selfcheck.py"], ["tests/articles/test_selfcheck.py"]),
    "abuse": (["directory/outreach/abuse.py"], OUTREACH_TESTS),
    # The module holds the verification admin too: its tests are selected for it.
    "inquiry-access": (["directory/outreach/admin.py"], [*OUTREACH_TESTS, *VERIFICATION_TESTS]),
    "geo": (["directory/geo.py"], GEO_TESTS),
    "import-merge": (["directory/importers/writing.py"], IMPORT_TESTS),
    # test_medicare_listing: results that carry Medicare evidence (on SQLite its JSON is read by hand).
    "search": (["directory/search/query.py"], [*SEARCH_TESTS, "tests/directory/test_city_and_treatment_pages.py",
                                             "tests/directory/test_kept_answers.py",
                                             "tests/directory/test_medicare_listing.py"]),
}  # fmt: skip

STATUS_RE = re.compile(r"^\s+(\S+): (\S.*)$")


def mutmut_section(modules: list[str], tests: list[str]) -> str:
    def toml_list(items):
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["directory/", "articles/"]\n'
        f"only_mutate = {toml_list(modules)}\n"
        # locale/: the Spanish pages' tests need the compiled catalogue (without it, mutmut's
        # first clean run failed and no hsds-ids mutant was checked).
        'also_copy = ["config/", "templates/", "static/", "locale/", "manage.py", "conftest.py"]\n'
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n'
        # Each mutant's run sets up Django's test database (the migrations) before its tests:
        # mutmut's limit, 30 CPU seconds over the tests' own time, timed every mutant out.
        "timeout_constant = 60\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
    )


def scratch_copy(group: str, modules: list[str], tests: list[str]) -> Path:
    folder = SCRATCH / group
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
    with (folder / "pyproject.toml").open("a") as pyproject:
        pyproject.write(mutmut_section(modules, tests))
    shutil.copy2(ROOT / "bench" / "mutation_conftest.py", folder / "conftest.py")
    return folder


def migrated_database(folder: Path, tests: list[str]) -> str:
    """A SQLite database migrated once, copied by each mutant's run (bench/mutation_conftest.py)."""
    for test_file in tests:
        # Such a test empties the tables (the seeded treatments too) for the tests after it.
        if "transaction=True" in (ROOT / test_file).read_text():
            sys.exit(f"{test_file} has transaction=True tests: they need a test database set up for each run.")
    url = f"sqlite:///{folder / 'mutation-tests.sqlite3'}"
    server = os.environ.get("MUTATION_POSTGRES")  # e.g. postgres://postgres@127.0.0.1:5432
    if server:
        name = "mutation_" + folder.name.replace("-", "_")
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-q", f"{server}/postgres", "-c", sql], check=True)
        url = f"{server}/{name}"
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": url}
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "-v", "0"], cwd=folder, env=env,
                   check=True)  # fmt: skip
    return url


def run_group(group: str) -> tuple[int, int, list[str]]:
    modules, tests = GROUPS[group]
    folder = scratch_copy(group, modules, tests)
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": migrated_database(folder, tests)}
    children = os.environ.get("MUTATION_CHILDREN", "2")
    with (folder / "mutmut-run.log").open("w") as log:
        names = os.environ.get("MUTATION_NAMES", "").split()
        subprocess.run([str(MUTMUT), "run", "--max-children", children, *names], cwd=folder, env=env, stdout=log,
                       stderr=log)  # fmt: skip
    listing = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=folder, env=env, capture_output=True,
                             text=True).stdout  # fmt: skip
    statuses = {m.group(1): m.group(2) for m in map(STATUS_RE.match, listing.splitlines()) if m}
    killed = sum(status == "killed" for status in statuses.values())
    survivors = sorted(name for name, status in statuses.items() if status != "killed")
    return killed, len(statuses), [f"{name}: {statuses[name]}" for name in survivors]


def main(groups: list[str]) -> int:
    unknown = [group for group in groups if group not in GROUPS]
    if unknown:
        print(f"Unknown groups: {', '.join(unknown)}. Known: {', '.join(GROUPS)}")
        return 2
    total_killed = total = 0
    for group in groups or list(GROUPS):
        started = time.monotonic()
        killed, count, survivors = run_group(group)
        total_killed, total = total_killed + killed, total + count
        score = f"{100 * killed / count:.1f}%" if count else "no mutants"
        print(f"{group:16} {killed:4} / {count:<4} killed  {score:>7}  ({time.monotonic() - started:.0f} s)")
        for line in survivors:
            print(f"    {line}")
    if total:
        print(f"{'all':16} {total_killed:4} / {total:<4} killed  {100 * total_killed / total:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
