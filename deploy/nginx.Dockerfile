# The docker-compose `proxy` service: nginx from Debian's packages (nginx-light), the same
# nginx that tests/test_proxy.py and bench/slow_clients.py run in front of gunicorn.
# deploy/nginx.conf is mounted as /etc/nginx/conf.d/default.conf (see docker-compose.yml).
# Debian's own nginx.conf logs to files at the main and http levels: here the main level logs
# to stderr and only crit lines (lower levels name the client), as deploy/nginx.conf's server
# does, and the http level's access log is off (the server's own, path only, stays).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && sed -i 's|^error_log .*|error_log stderr crit;|; s|^\(\s*\)access_log .*|\1access_log off;|' /etc/nginx/nginx.conf \
 && nginx -t
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]
