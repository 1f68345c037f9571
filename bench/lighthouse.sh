#!/usr/bin/env bash
# Lighthouse 12 on a phone profile (its default: a mid-range phone, simulated slow 4G) against
# the real directory served by gunicorn with production settings, for the four pages of
# issue 21. Prints the four category scores, the transfer size against each page's budget,
# and the paint timings; exits non-zero when a score is below 100 or a page is over budget.
# Not in CI: about a minute per page on a 2-core machine.
#
#   bench/lighthouse.sh          # needs bench_pages, filled by bench/pages.py (the national directory)
#
# Chromium from Debian (/usr/bin/chromium, CHROME_PATH to change); Lighthouse from npm
# (LIGHTHOUSE_VERSION, run through npx unless LIGHTHOUSE names a command).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8767}
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-12.8.2}
LIGHTHOUSE=${LIGHTHOUSE:-npx --yes lighthouse@$LIGHTHOUSE_VERSION}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench_pages}
PY=.venv/bin/python
OUT=bench/out/lighthouse
mkdir -p "$OUT"

# Production settings (README, "Production"), on plain http over loopback: no TLS redirect.
export DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_BEHIND_PROXY=0 \
  DJANGO_SECURE_COOKIES=0 DJANGO_LOG_LEVEL=WARNING
DJANGO_SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
$PY manage.py collectstatic --noinput -v0

center=$(psql "$DATABASE_URL" -qtAc "SELECT slug FROM directory_center WHERE status = 'published' ORDER BY md5(slug) LIMIT 1")
# page|path|budget in KiB (issue 21)
PAGES=(
  "home|/|40"
  "listing, 20 results|/centers/?near=Chicago%2C+IL&radius=50|60"
  "center page|/centers/$center/|45"
  "guide article|/guide/what-is-treatment-resistant-depression/|45"
)

$PY -m gunicorn -c bench/gunicorn_conf.py -b "127.0.0.1:$PORT" config.wsgi >"$OUT/gunicorn.log" 2>&1 &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null; wait $gunicorn_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break; sleep 1; done

n=0
for entry in "${PAGES[@]}"; do
  IFS='|' read -r label path budget <<<"$entry"
  n=$((n + 1))
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT$path"  # drawn once, as a running site has it
  echo "==> $label: $path"
  $LIGHTHOUSE "http://127.0.0.1:$PORT$path" --quiet --output=json --output-path="$OUT/$n.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu"
  echo "$label|$budget|$OUT/$n.json" >>"$OUT/runs.txt.tmp"
done
mv "$OUT/runs.txt.tmp" "$OUT/runs.txt"

$PY - "$OUT/runs.txt" <<'PYEOF'
import json
import sys

print(f"\n{'page':22} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} {'KiB':>6} {'budget':>6} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>6} {'CLS':>5}")
failed = []
for line in open(sys.argv[1]):
    label, budget, path = line.strip().split("|")
    report = json.load(open(path))
    scores = {key: round(category["score"] * 100) for key, category in report["categories"].items()}
    audits = report["audits"]
    kib = audits["total-byte-weight"]["numericValue"] / 1024
    print(
        f"{label:22} {scores['performance']:>4} {scores['accessibility']:>4} {scores['best-practices']:>4} "
        f"{scores['seo']:>4} {kib:6.1f} {budget:>6} {audits['first-contentful-paint']['numericValue']:7.0f} "
        f"{audits['largest-contentful-paint']['numericValue']:7.0f} {audits['total-blocking-time']['numericValue']:6.0f} "
        f"{audits['cumulative-layout-shift']['numericValue']:5.2f}"
    )
    failed += [f"{label}: {key} {score}" for key, score in scores.items() if score < 100]
    if kib > float(budget):
        failed.append(f"{label}: {kib:.1f} KiB over its {budget} KiB budget")
    for key, category in report["categories"].items():
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"    {key}: {audit['id']} ({audit['score']}): {audit['title']}")
print("\n" + ("FAIL: " + "; ".join(failed) if failed else "OK: 100 in every category, every page within its budget"))
sys.exit(1 if failed else 0)
PYEOF
