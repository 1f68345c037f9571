"""The center search: what /centers/, the city pages and /api/centers/ run.

- params.py: the parameters, their labels and defaults, the FilterSet that validates
  them, and `Criteria`, the validated search;
- query.py: the whole query (SQL), pages of result rows, the nearest match;
- page.py: what the listing page says around its results (heading, chips, suggestions);
- vocabulary.py: the lookup terms a search names, cached;
- index.py: keeps the denormalized columns the query reads up to date.
"""
