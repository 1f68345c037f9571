#!/usr/bin/env bash
# Load test: gunicorn (production settings) on PostgreSQL with 10,000 generated centers,
# driven by wrk on 127.0.0.1 for a bounded time per URL. Prints requests/s, p50/p99
# latency, errors and each page's throughput relative to /healthz. Exits non-zero when a
# measured URL had any error (status >= 400 or socket error).
#
#   bench/load.sh                    # 10 s per URL, 16 connections, then through nginx's cache
#   DURATION=30s CONNECTIONS=32 bench/load.sh
#   PROXY=0 bench/load.sh            # without the caching proxy run (bench/proxy_cache.sh)
#
# Uses its own database (BENCH_DB, default bench_load) on the PostgreSQL at PG_URL; the
# generated centers are kept between runs, so only the first run spends ~20 s creating them.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
CENTERS=${CENTERS:-10000}
PORT=${PORT:-8765}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
BENCH_DB=${BENCH_DB:-bench_load}
PY=.venv/bin/python
OUT=bench/out
mkdir -p "$OUT"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is missing: sudo apt-get install -y wrk"; exit 1
  fi
fi
[ -x "$PY" ] || { echo "No .venv: run 'make install' first."; exit 1; }

export DATABASE_URL="$PG_URL/$BENCH_DB"
export DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_LOG_FORMAT=json
DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY

echo "==> Database $BENCH_DB"
psql "$PG_URL/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'" | grep -q 1 \
  || psql "$PG_URL/postgres" -qc "CREATE DATABASE $BENCH_DB"
$PY manage.py migrate --noinput -v0
have=$(psql "$DATABASE_URL" -qtAc "SELECT count(*) FROM directory_center WHERE slug LIKE 'generated-%'")
if [ "$have" -lt "$CENTERS" ]; then
  echo "    generating $((CENTERS - have)) centers (have $have)"
  $PY manage.py generate_centers "$((CENTERS - have))"
  psql "$DATABASE_URL" -qc "ANALYZE"  # fresh statistics after the bulk insert, as production has
fi
$PY manage.py load_guide >/dev/null
$PY manage.py collectstatic --noinput -v0
center=$(psql "$DATABASE_URL" -qtAc "SELECT slug FROM directory_center WHERE slug LIKE 'generated-%' ORDER BY id LIMIT 1")
total=$(psql "$DATABASE_URL" -qtAc "SELECT count(*) FROM directory_center WHERE status = 'published'")
echo "    $total published centers"

echo "==> gunicorn on 127.0.0.1:$PORT (gunicorn.conf.py, production settings)"
GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_ACCESSLOG="$OUT/load-access.log" \
  .venv/bin/gunicorn -c gunicorn.conf.py config.wsgi >"$OUT/load-gunicorn.log" 2>&1 &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null; wait $gunicorn_pid 2>/dev/null || true' EXIT
base=http://127.0.0.1:$PORT
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "$base/healthz" || { echo "gunicorn did not become healthy:"; tail -20 "$OUT/load-gunicorn.log"; exit 1; }
workers=$(grep -c "Booting worker" "$OUT/load-gunicorn.log" || true)
echo "    $workers workers; wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per URL"

# The load balancer terminates TLS and says so; without this header every request would be a redirect.
PROXY_HEADER="X-Forwarded-Proto: https"
URLS=(
  "/healthz"
  "/"
  "/centers/?near=32207&treatment=tms"
  "/centers/$center/"
  "/api/centers/?near=32207"
)
results="$OUT/load-results.jsonl"
: >"$results"
for url in "${URLS[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "$PROXY_HEADER" "$base$url")
  if [ "$status" = 404 ]; then
    echo "    $url answers 404: not built yet, not measured"
    printf '{"url": "%s", "absent": true}\n' "$url" >>"$results"
    continue
  fi
  echo "    $url ($status) ..."
  line=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 5s -H "$PROXY_HEADER" \
    -s bench/wrk_report.lua "$base$url" | tail -1)
  printf '{"url": "%s", "status": %s, "result": %s}\n' "$url" "$status" "$line" >>"$results"
done

# Memory after the load: proportional set size (shared pages split between the processes
# that share them) of the gunicorn master and its workers, from /proc (Linux).
memory=""
if [ -r "/proc/$gunicorn_pid/smaps_rollup" ]; then
  total=0
  count=0
  for pid in $gunicorn_pid $(pgrep -P "$gunicorn_pid"); do
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${pss:-0}))
    count=$((count + 1))
  done
  memory="memory after the load: gunicorn master and $((count - 1)) workers, $((total / 1024)) MB PSS in all"
fi

status=0
$PY - "$results" <<'PYEOF' || status=$?
import json, sys

rows = [json.loads(line) for line in open(sys.argv[1])]
base = next(r["result"]["rps"] for r in rows if r["url"] == "/healthz" and "result" in r)
width = max(len(r["url"]) for r in rows) + 2
print()
print(f"{'URL':<{width}} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs /healthz':>11}")
failed = False
for r in rows:
    if r.get("absent"):
        print(f"{r['url']:<{width}} 404: not built yet, not measured")
        continue
    m = r["result"]
    errors = m["status_errors"] + m["socket_errors"]
    failed |= errors > 0
    print(f"{r['url']:<{width}} {m['rps']:>8.1f} {m['p50_ms']:>8.1f} {m['p99_ms']:>8.1f} {errors:>7} {m['rps'] / base:>10.2f}x")
print()
print("FAIL: errors above" if failed else "OK: zero errors")
sys.exit(1 if failed else 0)
PYEOF
if [ -n "$memory" ]; then echo "$memory"; fi

# The same gunicorn behind a caching proxy (nginx proxy_cache): hit ratio and requests/s for a
# mix of center pages, and form pages and staff pages never kept. PROXY=0 skips it.
if [ "${PROXY:-1}" = 1 ]; then
  echo
  PROXY_PORT=${PROXY_PORT:-$((PORT + 1))} DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS \
    bench/proxy_cache.sh "$base" "$DATABASE_URL" || status=1
fi
exit $status
