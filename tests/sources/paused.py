"""Run a `jiandu` command with every import held at one step, so a crash test can kill it there.

    python -m tests.sources.paused STEP SECONDS ARGS...

runs `jiandu ARGS...` (an import, or the task consumer `run_huey`) in this process after installing a step
observer (jiandu/sources/hooks.py) that, when an import reaches STEP ("staged" or "merged"), writes
"JIANDU_IMPORT_PAUSED STEP <delivery id>" to stderr and sleeps SECONDS. The runtime knows nothing of this.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def main() -> None:
    step, seconds, *args = sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    import django

    django.setup()
    from jiandu.cli import main as jiandu
    from jiandu.sources.hooks import step_observer_add

    def hold(delivery: Any, reached: str) -> None:
        if reached == step:
            sys.stderr.write(f"JIANDU_IMPORT_PAUSED {step} {delivery.pk}\n")
            sys.stderr.flush()
            time.sleep(float(seconds))

    step_observer_add(hold)
    jiandu(args)


if __name__ == "__main__":
    main()
