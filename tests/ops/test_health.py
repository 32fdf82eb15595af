"""/healthz: 200 when every check passes, 503 naming the check that fails; only for allowed addresses."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from huey import MemoryHuey, RedisHuey

from jiandu.audit.chain import anchor_current_head, anchor_write, chain_append
from jiandu.ops import health
from jiandu.ops.heartbeat import HEARTBEAT_KEY, heartbeat_start, heartbeat_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(monkeypatch):  # type: ignore[no-untyped-def]
    """A queue with a consumer that beat just now; tests age or remove the beat."""
    huey = MemoryHuey("health-test", immediate=False)
    heartbeat_write(huey)
    monkeypatch.setattr(health, "task_queue", lambda: huey)
    return huey


def probe(client: Client | None = None, **extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = (client or Client()).get(
        "/healthz", REMOTE_ADDR=extra.pop("REMOTE_ADDR", "127.0.0.1"), **extra
    )
    body = json.loads(response.content) if response.status_code in (200, 503) else {}
    return response.status_code, body


def failing(body: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(name for name, check in body["checks"].items() if not check["ok"])


def test_healthy_answers_200_with_every_check(queue):
    status, body = probe()
    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "task_queue", "disk", "audit_anchor"}


def test_database_down_is_503(queue, monkeypatch):
    class Down:
        def __getitem__(self, alias: str):  # type: ignore[no-untyped-def]
            raise OperationalError("connection to server at 10.1.2.3 failed: password for user jiandu")

    monkeypatch.setattr(health, "connections", Down())
    status, body = probe()
    assert status == 503 and failing(body) == ["database"]
    # Named by class only: the message can carry hosts and users.
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert "10.1.2.3" not in json.dumps(body)


def test_queue_unreachable_is_503(monkeypatch):
    unreachable = RedisHuey("gone", url="redis://127.0.0.1:1/0")  # a broker that is down
    monkeypatch.setattr(health, "task_queue", lambda: unreachable)
    status, body = probe()
    assert status == 503 and failing(body) == ["task_queue"]
    assert body["checks"]["task_queue"]["reachable"] is False


def test_consumer_never_seen_is_503(queue):
    queue.delete(HEARTBEAT_KEY)
    status, body = probe()
    assert status == 503 and failing(body) == ["task_queue"]
    assert body["checks"]["task_queue"]["consumer"] == "never seen"


def test_consumer_heartbeat_too_old_is_503(queue, settings):
    settings.JIANDU_HEALTH_HEARTBEAT_SECONDS = 60
    heartbeat_write(queue, now=time.time() - 61)
    status, body = probe()
    assert status == 503 and failing(body) == ["task_queue"]
    heartbeat_write(queue, now=time.time() - 50)
    assert probe()[0] == 200


def test_heartbeat_thread_beats_once_per_process():
    huey = MemoryHuey("beat-test", immediate=False)
    assert heartbeat_start(huey) is True
    assert heartbeat_start(huey) is False  # second worker of the same consumer: no second thread
    deadline = time.time() + 5
    while huey.get(HEARTBEAT_KEY, peek=True) is None and time.time() < deadline:
        time.sleep(0.05)
    beat = huey.get(HEARTBEAT_KEY, peek=True)
    assert beat is not None and time.time() - beat["at"] < 5


def test_consumer_registers_the_heartbeat_hook():
    from huey.contrib.djhuey import HUEY

    import jiandu.ops.tasks  # noqa: F401 - what the consumer's autodiscovery imports

    assert "jiandu-heartbeat" in HUEY._startup


def test_low_disk_is_503(queue, settings):
    settings.JIANDU_HEALTH_DISK_MIN_FREE_MB = 10**12
    status, body = probe()
    assert status == 503 and failing(body) == ["disk"]


def _entry(at: dt.datetime) -> None:
    chain_append(
        {
            "at": at,
            "actor_id": None,
            "actor_username": "probe",
            "scope_region": "",
            "action": "login",
            "object_type": "",
            "object_id": "",
            "path": "/login/",
            "client_address": "",
            "user_agent_hash": "",
            "details": {},
        }
    )


def test_unanchored_access_log_too_long_is_503(queue, settings):
    settings.JIANDU_HEALTH_ANCHOR_MAX_HOURS = 26
    _entry(timezone.now() - dt.timedelta(hours=27))
    _entry(timezone.now())
    status, body = probe()
    assert status == 503 and failing(body) == ["audit_anchor"]
    assert body["checks"]["audit_anchor"]["unanchored_entries"] == 2
    anchor_current_head()  # the daily `jiandu audit anchor`
    status, body = probe()
    assert status == 200 and body["checks"]["audit_anchor"]["unanchored_entries"] == 0


def test_recent_unanchored_entries_are_fine(queue):
    _entry(timezone.now() - dt.timedelta(hours=2))
    assert probe()[0] == 200


def test_anchor_ahead_of_the_log_is_503(queue):
    _entry(timezone.now())
    anchor_write(999, "f" * 64)  # the anchor names entries the log no longer has
    status, body = probe()
    assert status == 503 and failing(body) == ["audit_anchor"]


def test_other_addresses_get_404(queue, settings):
    assert probe(REMOTE_ADDR="10.20.30.40")[0] == 404
    settings.JIANDU_HEALTH_ALLOW = [__import__("ipaddress").ip_network("10.20.0.0/16")]
    assert probe(REMOTE_ADDR="10.20.30.40")[0] == 200


def test_forged_forwarded_for_through_the_proxy_is_refused(queue, settings):
    settings.JIANDU_TRUSTED_PROXIES = 1
    # The proxy (127.0.0.1) appends the real client; a client-written 127.0.0.1 in front does not count.
    assert probe(HTTP_X_FORWARDED_FOR="127.0.0.1, 10.9.9.9")[0] == 404
    assert probe()[0] == 200  # the monitor on the host itself, straight to the app server


def test_only_get_and_head(queue):
    assert Client().post("/healthz", REMOTE_ADDR="127.0.0.1").status_code == 405
    assert Client().head("/healthz", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_answers_plain_http_and_any_host_in_production_settings(queue, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["jiandu.example"]
    status, body = probe(HTTP_HOST="127.0.0.1:8000")
    assert status == 200
    # The site's pages keep both protections.
    assert Client().get("/login/", HTTP_HOST="jiandu.example").status_code == 301
    assert Client().get("/login/", HTTP_HOST="127.0.0.1:8000", secure=True).status_code == 400


def test_no_session_no_personal_data_no_paths(queue, settings):
    response = Client().get("/healthz", REMOTE_ADDR="127.0.0.1")
    assert "Set-Cookie" not in response.headers and response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert str(settings.DATA_DIR) not in text and settings.JIANDU_AUDIT_ANCHOR_PATH not in text
