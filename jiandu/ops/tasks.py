"""Consumer start-up hook (huey autodiscovers `tasks` modules in the consumer): start the heartbeat."""

from __future__ import annotations

from huey.contrib.djhuey import HUEY

from jiandu.ops.heartbeat import heartbeat_start


@HUEY.on_startup("jiandu-heartbeat")
def consumer_heartbeat_start() -> None:
    heartbeat_start(HUEY)
