"""Open data: our listings in Open Referral's Human Services Data Specification (HSDS) 3.0.

- `records.py` turns centers into HSDS records (every id and value, once), which
- `export.py` writes as the tabular data package (`manage.py export_hsds`, /open-data/) and
- `api.py` serves as HSDS JSON under /api/hsds/ (`urls.py`, `filters.py`, `openapi.py`).
- `spec/` holds the official 3.0 files we conform to, vendored unchanged (`spec.py` reads them).
"""
