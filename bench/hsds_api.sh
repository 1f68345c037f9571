#!/usr/bin/env bash
# Open data with the whole national directory: imports it into its own PostgreSQL database,
# times a fresh HSDS export and validates it by position against the official HSDS 3.0
# descriptor with frictionless, then serves the site with gunicorn (production settings) and
# runs Schemathesis over HTTP against /api/hsds/openapi.json. Prints the timings, the
# validator's verdict and Schemathesis's summary; exits non-zero on any validation error,
# any 5xx or any other failed check.
#
#   bench/hsds_api.sh                         # the bundled national directory (SAMHSA 2022, 9,037 rows)
#   SAMHSA=path/to/file.csv bench/hsds_api.sh # another edition
#   MAX_TIME=600 bench/hsds_api.sh            # let Schemathesis run longer (seconds)
#
# Uses its own database (BENCH_DB, default bench_hsds) on the PostgreSQL at PG_URL; the
# import is skipped when that database already holds the file's centers.
set -euo pipefail
cd "$(dirname "$0")/.."

SAMHSA=${SAMHSA:-}  # empty: import_samhsa reads the bundled directory
PORT=${PORT:-8767}
MAX_TIME=${MAX_TIME:-180}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
BENCH_DB=${BENCH_DB:-bench_hsds}
PY=.venv/bin/python
OUT=bench/out/hsds
mkdir -p "$OUT"
[ -x "$PY" ] || { echo "No .venv: run 'make install' first."; exit 1; }

export DATABASE_URL="$PG_URL/$BENCH_DB"
export DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_FORMAT=json DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECURE_COOKIES=0 SITE_URL="http://127.0.0.1:$PORT" GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY

echo "==> Database $BENCH_DB, directory ${SAMHSA:-bundled}"
psql "$PG_URL/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'" | grep -q 1 \
  || psql "$PG_URL/postgres" -qc "CREATE DATABASE $BENCH_DB"
$PY manage.py migrate --noinput -v0
have=$(psql "$DATABASE_URL" -qtAc "SELECT count(*) FROM directory_center")
if [ "$have" -eq 0 ]; then
  $PY manage.py import_samhsa ${SAMHSA:+"$SAMHSA"} --report-dir "$OUT/import" | tail -1
  psql "$DATABASE_URL" -qc "ANALYZE"
fi
echo "    $(psql "$DATABASE_URL" -qtAc "SELECT count(*) FROM directory_center WHERE status IN ('published', 'closed')") published or closed centers"

echo "==> A fresh export"
rm -rf "$OUT/export"
TIMEFORMAT="    took %R s"
time $PY manage.py export_hsds "$OUT/export"
echo "    zip: $(du -h "$OUT/export/depression-treatment-centers-hsds.zip" | cut -f1)"

echo "==> frictionless validate (by position, the official HSDS 3.0 descriptor)"
time .venv/bin/frictionless validate --json "$OUT/export/datapackage.json" >"$OUT/validation.json" || true
$PY - "$OUT/validation.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for task in report["tasks"]:
    print(f"    {task['name']:20} {task['stats'].get('rows', 0):>7} rows  {task['stats']['errors']} errors  {task['valid'] and 'VALID' or 'INVALID'}")
print(f"    valid: {report['valid']}, errors: {report['stats']['errors']}, warnings: {report['stats']['warnings']}")
sys.exit(0 if report["valid"] else 1)
PY

echo "==> gunicorn on 127.0.0.1:$PORT, then Schemathesis for up to $MAX_TIME s"
$PY manage.py collectstatic --noinput -v0  # production static storage: pages (a 404 too) need its manifest
# Every generated request should reach the app: gunicorn itself answers 414 to a request line
# over 4,094 bytes (right in production, and not what this tests), so the limit is lifted here.
GUNICORN_CMD_ARGS="--limit-request-line 0" GUNICORN_BIND=127.0.0.1:$PORT .venv/bin/gunicorn -c gunicorn.conf.py config.wsgi >"$OUT/gunicorn.log" 2>&1 &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null; wait $gunicorn_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/api/hsds/" >/dev/null && break; sleep 1; done
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/hsds/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
  --max-time "$MAX_TIME" --workers 2 --suppress-health-check all --no-color --generation-database none 2>&1 | tee "$OUT/schemathesis.log" | tail -40
status=${PIPESTATUS[0]}
server_errors=$(grep -c '" 5[0-9][0-9] ' "$OUT/gunicorn.log" || true)
echo "    5xx answers in gunicorn's access log: $server_errors"
[ "$server_errors" -eq 0 ] || status=1
exit "$status"
