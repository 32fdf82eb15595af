"""What the registry keeps about OCDS imports beside the contract tables (docs/decisions/0002-ocds-identifiers.md).

Publishers identify organisations in their own schemes (``AM-TIN-…``, ``UA-EDR-…``, Taiwan business numbers,
Moldova's release-local ids). The contract's organisation columns (``bids.bidder_code``, ``tenders.buyer_code``…)
are uscc-typed, 18 characters; an OCDS organisation without a uscc is stored there under a synthetic code
``OCDS`` + 14 hex digits, which can never be a valid uscc, and this table says what the code stands for.
Amounts stay in the publisher's currency: ``OcdsProcess`` records it per contracting process (tender_no = ocid).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OcdsOrganisation(models.Model):
    code = models.CharField(_("平台代码"), max_length=18, primary_key=True)
    scheme = models.CharField(_("标识方案"), max_length=40, blank=True, default="")
    raw_id = models.CharField(_("发布方标识"), max_length=200)
    name = models.TextField(_("名称"), blank=True, default="")
    publisher = models.CharField(_("发布方"), max_length=40)
    roles = models.JSONField(_("角色"), default=list)  # buyer, tenderer, supplier
    delivery = models.ForeignKey(
        "sources.Delivery", verbose_name=_("最近导入"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("OCDS 机构")
        verbose_name_plural = _("OCDS 机构")

    def __str__(self) -> str:
        return f"{self.code} {self.scheme}-{self.raw_id}"


class OcdsProcess(models.Model):
    ocid = models.CharField(_("OCID"), max_length=200, primary_key=True)
    publisher = models.CharField(_("发布方"), max_length=40)
    currency = models.CharField(_("币种"), max_length=8, blank=True, default="")
    currencies = models.JSONField(_("出现的币种"), default=list)
    procurement_method = models.CharField(_("采购方式（发布方）"), max_length=200, blank=True, default="")
    procurement_method_details = models.CharField(
        _("采购方式细节（发布方）"), max_length=200, blank=True, default=""
    )
    source_file = models.CharField(_("来源文件"), max_length=255)
    source_row = models.IntegerField(_("位置"))
    delivery = models.ForeignKey(
        "sources.Delivery", verbose_name=_("最近导入"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("OCDS 采购过程")
        verbose_name_plural = _("OCDS 采购过程")

    def __str__(self) -> str:
        return self.ocid
