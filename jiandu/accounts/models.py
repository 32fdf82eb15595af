"""Organisations, jurisdictions and users.

Every user belongs to one organisation and one jurisdiction (a GB/T 2260 region code). Jurisdiction is
what scopes data: a county user sees the county's units, people and records; the city sees all of its counties.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from jiandu.accounts.roles import PARTNER_WITHHELD, Role, role_allows

region_validator = RegexValidator(r"^\d{6}$", _("行政区划代码应为6位数字"))


def region_prefix(region_code: str) -> str:
    """The code prefix shared by every region inside `region_code`.

    GB/T 2260 codes are hierarchical: 34 (province) / 3401 (city) / 340102 (county). A city's code ends in
    "00", a province's in "0000"; stripping those pairs gives the prefix every subordinate code starts with.
    """
    prefix = region_code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVINCE_COMMISSION = "province_commission", _("省纪委监委")
        CITY_COMMISSION = "city_commission", _("市纪委监委")
        COUNTY_COMMISSION = "county_commission", _("县（区）纪委监委")
        INSPECTION_OFFICE = "inspection_office", _("巡察办")
        AUDIT_BUREAU = "audit_bureau", _("审计局")
        FINANCE_BUREAU = "finance_bureau", _("财政局")
        PUBLIC_SECURITY = "public_security", _("公安局")

    # The discipline inspection commissions (纪委监委) at each level; every other kind is a partner agency.
    COMMISSION_KINDS = (Kind.PROVINCE_COMMISSION, Kind.CITY_COMMISSION, Kind.COUNTY_COMMISSION)

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    region_code = models.CharField(_("行政区划代码"), max_length=6, validators=[region_validator])

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner(self) -> bool:
        return self.kind not in self.COMMISSION_KINDS


class User(AbstractUser):
    class Office(models.TextChoices):
        """The internal office (内设机构) a commission user works in, where an office has rights of its own.

        Only the petition office (信访室) does today: it alone may be shown a reporter's identity (举报人信息),
        and even then only through the four-eyes disclosure in jiandu/leads/disclosure.py. Every other user
        keeps the empty value; the role, not the office, grants capabilities.
        """

        NONE = "", _("（无）")
        PETITION = "petition", _("信访室")

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.AUDITOR)
    office = models.CharField(_("内设机构"), max_length=16, choices=Office.choices, blank=True, default="")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属组织"), on_delete=models.PROTECT, null=True, blank=True
    )
    jurisdiction = models.CharField(
        _("管辖区划"), max_length=6, validators=[region_validator], blank=True, default=""
    )
    # Raised to end every session of the user at once (sign out everywhere, deactivation): the session
    # auth hash below includes it, so sessions carrying the old hash are flushed on their next request.
    session_epoch = models.PositiveIntegerField(_("会话代数"), default=0, editable=False)
    # The user's own identity in the registry, so recusal (registry/recusal.py) can find their relatives,
    # former posts and companies. Set by an administrator (`jiandu users set-id`); kept as a keyed hash to
    # match on and an encrypted copy (both purpose "id-number"), never in plain text. Empty = not linked.
    id_number_hash = models.CharField(
        _("身份证号摘要"), max_length=64, blank=True, default="", db_index=True, editable=False
    )
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def can(self, capability: str) -> bool:
        """Whether this user's role grants `capability` (an active, scoped account is also required).

        Partner agencies (巡察办, 审计局, 财政局, 公安局) deliver data and read only what is transferred to
        them, so registry and alert capabilities are withheld from them whatever their role says.
        """
        if not (self.is_active and self.jurisdiction):
            return False
        if self.organisation is not None and self.organisation.is_partner and capability in PARTNER_WITHHELD:
            return False
        return role_allows(self.role, capability)

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "jiandu.accounts.User.get_session_auth_hash",
            f"{self.password}|{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def in_petition_office(self) -> bool:
        return self.office == self.Office.PETITION

    @property
    def has_identity_link(self) -> bool:
        return bool(self.id_number_hash and self.id_number_encrypted)

    @property
    def scope_prefix(self) -> str:
        return region_prefix(self.jurisdiction) if self.jurisdiction else ""


class NeedToKnowGrant(models.Model):
    """A person added by name to the circle of an alert or a lead under verification (知悉范围).

    Jurisdiction decides who may *ever* see an object; need-to-know narrows an object under verification to
    its handling office (see jiandu/accounts/access.py, need-to-know) plus the people listed here. A grant
    never widens jurisdiction: the grantee must still hold the object's jurisdiction and the reading
    capability. Grants are revoked, never deleted, so the list answers "who could read this, when".
    """

    class Kind(models.TextChoices):
        ALERT = "alert", _("预警")
        LEAD = "lead", _("问题线索")

    kind = models.CharField(_("事项类型"), max_length=8, choices=Kind.choices)
    object_id = models.BigIntegerField(_("事项编号"))
    user = models.ForeignKey(
        User, verbose_name=_("被授权人"), on_delete=models.PROTECT, related_name="need_to_know_grants"
    )
    granted_by = models.ForeignKey(User, verbose_name=_("授权人"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("授权理由"), max_length=200)
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("撤销人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("知悉范围授权")
        verbose_name_plural = _("知悉范围授权")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id", "user"], name="ntk_grant_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="ntk_one_active_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} → user#{self.user_id}"
