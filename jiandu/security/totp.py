"""TOTP second factor (RFC 6238) with pyotp; secrets encrypted at rest, QR codes drawn locally.

Who must use it: everyone whose role is in `ROLES_REQUIRING_TOTP` when `JIANDU_REQUIRE_TOTP` is on
(the production default), and anyone who has enrolled a device whatever the setting. The QR code is
generated on the server as SVG (the `qrcode` package, pure Python) and embedded as a data: URI: no
external chart service ever sees a secret.
"""

from __future__ import annotations

import base64
import hmac
import time
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jiandu.accounts.roles import Role
from jiandu.security.crypto import decrypt, encrypt
from jiandu.security.models import TotpDevice

ISSUER = "jiandu 监督信息平台"
SECRET_PURPOSE = "totp-secret"
VALID_WINDOW = 1  # one 30 s step either side, for clock drift
SECRET_CHARS = 32  # base32: 160 bits, the RFC 4226 recommended key size

# Every role above read-only access. The auditor role (审计查阅) only reads; a one-line change adds it.
ROLES_REQUIRING_TOTP = frozenset({Role.ADMIN, Role.LEADER, Role.SUPERVISOR, Role.CLERK})


def confirmed_device(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed=True).first()


def totp_required(user: Any) -> bool:
    """Whether this signed-in user must pass the TOTP step before any page."""
    if not getattr(user, "is_authenticated", False):
        return False
    if confirmed_device(user) is not None:
        return True
    return bool(settings.JIANDU_REQUIRE_TOTP) and user.role in ROLES_REQUIRING_TOTP


def device_secret(device: TotpDevice) -> str:
    return decrypt(device.secret_encrypted, purpose=SECRET_PURPOSE)


@transaction.atomic
def totp_enrolment_start(user: Any) -> TotpDevice:
    """A fresh secret on an unconfirmed device. A confirmed device is never replaced here: losing one is
    handled by an administrator removing it (`totp_device_remove`), after checking who is asking."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed:
        raise ValueError("user already has a confirmed TOTP device")
    secret_token = encrypt(pyotp.random_base32(SECRET_CHARS), purpose=SECRET_PURPOSE)
    if device is None:
        return TotpDevice.objects.create(user=user, secret_encrypted=secret_token)
    device.secret_encrypted = secret_token
    device.last_used_step = 0
    device.save(update_fields=["secret_encrypted", "last_used_step"])
    return device


def pending_device(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed=False).first()


def totp_device_remove(user: Any) -> None:
    TotpDevice.objects.filter(user=user).delete()


def provisioning_uri(user: Any, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=ISSUER)


def qr_svg_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def secret_for_display(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_code_check(device: TotpDevice, code: str, *, now: float | None = None) -> bool:
    """Accept `code` once: it must match a step within the window and be newer than the last accepted one.

    The step is claimed with a conditional UPDATE, so two requests racing with the same code cannot both
    succeed.
    """
    if not (len(code) == 6 and code.isdigit()):
        return False
    moment = time.time() if now is None else now
    totp = pyotp.TOTP(device_secret(device))
    current = totp.timecode(moment)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step <= device.last_used_step:
            continue
        if not _constant_time_equal(totp.generate_otp(step), code):
            continue
        claimed = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
        if claimed:
            device.last_used_step = step
        return bool(claimed)
    return False


def totp_enrolment_confirm(device: TotpDevice, code: str) -> bool:
    if not totp_code_check(device, code):
        return False
    device.confirmed = True
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed", "confirmed_at"])
    return True


def _constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@transaction.atomic
def totp_device_issue(user: Any) -> str:
    """Create a confirmed device and return its secret, for provisioning out of band (demo accounts,
    an administrator handing over a hardware token's seed). Replaces any existing device."""
    TotpDevice.objects.filter(user=user).delete()
    secret = pyotp.random_base32(SECRET_CHARS)
    TotpDevice.objects.create(
        user=user,
        secret_encrypted=encrypt(secret, purpose=SECRET_PURPOSE),
        confirmed=True,
        confirmed_at=timezone.now(),
    )
    return secret
