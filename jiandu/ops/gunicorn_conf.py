"""gunicorn's settings for jiandu, read from the environment (`gunicorn -c python:jiandu.ops.gunicorn_conf`).

`jiandu serve` and the systemd unit both start gunicorn with this module, so the two stay the same server.
Workers default to 2 × cores + 1 (gunicorn's own advice for a synchronous app that waits on its database).
No access log: query strings carry search terms (names, ID numbers); the access log that matters is the
application's own hash-chained one (jiandu/audit), which stores search terms as keyed hashes.
"""

from __future__ import annotations

import os

from jiandu.env import env_choice, env_int, env_str


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = env_str("JIANDU_BIND", "127.0.0.1:8000").split(",")
workers = env_int("JIANDU_WEB_WORKERS", 2 * cores() + 1, minimum=1)
threads = env_int("JIANDU_WEB_THREADS", 1, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
# A worker silent this long is killed and replaced; generous, since an upload of JIANDU_MAX_UPLOAD_BYTES
# is archived and digested inside the request.
timeout = env_int("JIANDU_WEB_TIMEOUT", 120, minimum=10)
graceful_timeout = env_int("JIANDU_WEB_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = 5
# Recycle workers now and then so a slow leak in any library cannot grow without bound.
max_requests = env_int("JIANDU_WEB_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None
errorlog = "-"
loglevel = env_choice("JIANDU_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")).lower()
proc_name = "jiandu-web"
# gunicorn 27's control socket lives in the home directory: two instances on one host would share it, and
# signals (HUP/TERM) are all jiandu needs.
control_socket_disable = True
# The proxy on this host may say the request came over HTTPS (X-Forwarded-Proto); Django trusts the same
# header in production (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = env_str("JIANDU_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
wsgi_app = "jiandu.wsgi:application"
