#!/usr/bin/env bash
# The site behind a caching reverse proxy (issue 21): nginx's proxy_cache on loopback in front
# of a running gunicorn, as a CDN or a proxy would keep our public pages. Called by
# bench/load.sh; on its own:
#
#   bench/proxy_cache.sh http://127.0.0.1:8765 DATABASE_URL
#
# It drives a mix of center pages (PROXY_PAGES distinct pages, cycled by wrk for DURATION)
# through nginx and prints requests per second and the hit ratio from nginx's own log
# ($upstream_cache_status), then checks that what must never be kept is not: a form page
# (it sets a CSRF cookie), a center page seen by staff (a session cookie) and the admin are
# asked for twice and must never be a HIT. Exits non-zero when one is.
# This is a bench configuration written to a temporary folder, not deploy/nginx.conf.
set -euo pipefail
cd "$(dirname "$0")/.."

upstream=${1:?upstream URL, e.g. http://127.0.0.1:8765}
database_url=${2:?DATABASE_URL}
PROXY_PORT=${PROXY_PORT:-8766}
PROXY_PAGES=${PROXY_PAGES:-200}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PY=.venv/bin/python

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
    NGINX=/usr/sbin/nginx
  else
    echo "nginx is missing: sudo apt-get install -y nginx-light"; exit 1
  fi
fi

work=$(mktemp -d /tmp/proxy-cache.XXXXXX)
mkdir -p "$work/cache" "$work/temp"
# Started as root, nginx's workers run as an unprivileged user: they must reach their folders.
chmod 755 "$work" && chmod 777 "$work/cache" "$work/temp"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/temp;
  proxy_temp_path $work/temp;
  log_format cache '\$upstream_cache_status \$status \$request_uri';
  proxy_cache_path $work/cache levels=1:2 keys_zone=pages:10m max_size=200m inactive=10m use_temp_path=off;
  upstream site { server ${upstream#http://}; keepalive 16; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    access_log $work/access.log cache;
    location / {
      proxy_pass http://site;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-Proto https;
      proxy_cache pages;
      # What the site says goes: Cache-Control public, max-age=300 is kept; private, no-cache
      # and responses setting a cookie are not. Anyone with a session (staff) goes past the
      # cache both ways, so a person's page is never kept and never answered from it.
      proxy_cache_bypass \$cookie_sessionid;
      proxy_no_cache \$cookie_sessionid;
      proxy_cache_lock on;
      add_header X-Cache-Status \$upstream_cache_status always;
    }
  }
}
EOF
"$NGINX" -c "$work/nginx.conf" -p "$work" 2>/dev/null || "$NGINX" -c "$work/nginx.conf" -p "$work"
trap 'kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
proxy=http://127.0.0.1:$PROXY_PORT
for _ in $(seq 1 20); do curl -fsS -o /dev/null "$proxy/healthz" 2>/dev/null && break; sleep 0.2; done

# The mix: distinct published center pages, in a fixed random order.
mapfile -t slugs < <(psql "$database_url" -qtAc \
  "SELECT slug FROM directory_center WHERE status = 'published' ORDER BY md5(slug) LIMIT $PROXY_PAGES")
{
  printf 'local paths = {'
  printf '"/centers/%s/",' "${slugs[@]}"
  printf '}\nlocal i = 0\nrequest = function()\n  i = i %% #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
} >"$work/mix.lua"

first=$(curl -s -o /dev/null -w '%{http_code}' "$proxy/centers/${slugs[0]}/")
if [ "$first" != 200 ]; then
  echo "A center page through nginx answered $first:"; tail -5 "$work/error.log"; exit 1
fi
echo "==> Through nginx proxy_cache on $proxy: ${#slugs[@]} center pages, $DURATION"
: >"$work/access.log"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 5s -s "$work/mix.lua" "$proxy" >"$work/wrk.txt"
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
seconds=$(awk '/requests in/ {sub(/s,/, "", $4); print $4}' "$work/wrk.txt")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
hits=$(awk '$1 == "HIT"' "$work/access.log" | wc -l)
logged=$(wc -l <"$work/access.log")
echo "    $requests requests in $seconds: $rps requests/s; non-2xx: ${non2xx:-0}"
echo "    cache: $(awk '{print $1}' "$work/access.log" | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
awk -v h="$hits" -v n="$logged" 'BEGIN { printf "    hit ratio %.1f%% (%d of %d)\n", n ? 100 * h / n : 0, h, n }'

echo "==> Never kept: form pages, staff, the admin"
center=${slugs[0]}
session=$(DATABASE_URL=$database_url $PY manage.py shell -v0 -c "
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
user, _ = get_user_model().objects.get_or_create(username='proxy-bench-staff', defaults={'is_staff': True})
session = SessionStore()
session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), 'django.contrib.auth.backends.ModelBackend'
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)")
failed=0
check() {  # label, path, curl options...
  local label=$1 path=$2
  shift 2
  local statuses=""
  for _ in 1 2; do
    statuses+="$(curl -s -o /dev/null -D - "$@" "$proxy$path" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-status" {print $2}') "
  done
  if [[ "$statuses" == *HIT* ]]; then
    echo "    FAIL $label ($path): $statuses"; failed=1
  else
    echo "    ok   $label ($path): $statuses"
  fi
}
check "the ask form (CSRF cookie)" "/centers/$center/ask/"
check "the report form (CSRF cookie)" "/centers/$center/report/"
check "a center page seen by staff" "/centers/$center/" -H "Cookie: sessionid=$session"
check "the admin, for staff" "/admin/" -H "Cookie: sessionid=$session"
check "the admin's sign-in page" "/admin/login/"
anonymous=$(curl -s -o /dev/null -D - "$proxy/centers/$center/" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-status" {print $2}')
echo "    and the same center page for anyone else: $anonymous (kept)"
[ "$anonymous" = HIT ] || { echo "    FAIL: the public page was not kept"; failed=1; }
exit $failed
