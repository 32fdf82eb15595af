"""Production settings for an installed wheel: nothing may default to a folder inside the package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_to_start_without_a_data_folder(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "JIANDU_ENV": "production",
        "JIANDU_SECRET_KEY": "s" * 60,
        "JIANDU_ALLOWED_HOSTS": "jiandu.example.gov",
        "JIANDU_DATA_KEY": "q0L3VbN1YkzB7cE5oX2tR9mH4sJ6wP8uA1dF3gK5lZ0=",
    }
    env.pop("JIANDU_DATA_DIR", None)
    env.pop("JIANDU_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "jiandu", "check"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "JIANDU_DATA_DIR" in result.stderr
