"""gunicorn for `bench/search.py --http`: two sync workers, as the issue's reference
measurement, no access log and no worker restarts (unlike the project's gunicorn.conf.py)."""

workers = 2
accesslog = None
loglevel = "warning"
max_requests = 0
