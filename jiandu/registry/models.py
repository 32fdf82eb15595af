"""The registry: one model per table of the exchange contract, generated from spec/contract.yaml.

The 23 models are not written by hand: each is built from its contract table so the columns, types, natural
keys and Chinese names can never drift from the contract. Every row carries its provenance (delivery, file,
hash, sheet, row) and its jurisdiction (`scope_region`, see accounts/access.py). When a re-delivery changes a
row, the previous values are kept in RecordVersion with who, when and which delivery replaced them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from jiandu.analytics.contract import Table, load_contract
from jiandu.analytics.idcolumns import IdColumn, id_columns, key_columns
from jiandu.registry.fields import id_assign, id_fields, model_field


class RegistryRecord(models.Model):
    """Columns every registry row has besides its contract columns."""

    # No database constraint and no index: the importer writes `delivery_id` in the same transaction that
    # marks that (already committed) delivery done, deliveries are never deleted (PROTECT still guards the
    # ORM), and a deferred constraint was checked row by row at commit — a third of a large import's merge
    # (docs/benchmarks.md). tests/sources/test_store.py checks that every row references a delivery.
    delivery = models.ForeignKey(
        "sources.Delivery",
        verbose_name=_("来源报送"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    source_file = models.CharField(_("来源文件"), max_length=255)
    source_hash = models.CharField(_("来源文件摘要"), max_length=64)
    source_sheet = models.CharField(_("工作表"), max_length=100, blank=True, default="")
    source_row = models.IntegerField(_("行号"))
    row_hash = models.CharField(_("内容摘要"), max_length=64)
    scope_region = models.CharField(_("管辖区划"), max_length=6, blank=True, default="")
    # The database's default too, so the importer's COPY of a first delivery can leave both out: parsing two
    # timestamps per row was a third of that COPY's server time (docs/benchmarks.md). The ORM still sets them.
    created_at = models.DateTimeField(_("入库时间"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_default=Now())

    table: Table
    objects: models.Manager[RegistryRecord]

    class Meta:
        abstract = True


class RecordVersion(models.Model):
    """A previous state of a registry row, kept when a re-delivery updated it."""

    table_name = models.CharField(_("数据表"), max_length=40)
    record_id = models.BigIntegerField(_("记录ID"))
    values = models.JSONField(_("原值"))
    source = models.JSONField(_("原来源"))
    replaced_by_delivery = models.ForeignKey(
        "sources.Delivery", verbose_name=_("替换它的报送"), on_delete=models.PROTECT, related_name="+"
    )
    replaced_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, blank=True
    )
    replaced_at = models.DateTimeField(_("替换时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        indexes = [models.Index(fields=["table_name", "record_id"])]


_INDEXED_TYPES = ("id_number", "uscc")
_LOOKED_UP_MIXED = {"company_roles": ("holder_id",)}


def _indexes(table: Table) -> list[models.Index]:
    """One index per looked-up column, declared here rather than with `db_index`, which on PostgreSQL adds a
    second `varchar_pattern_ops` index to every char column: each index costs every imported row.

    Identifiers (the keyed hashes of ID numbers, USCCs) are only compared for equality, so a plain index
    each; of the text columns that may hold a person's ID, only `company_roles.holder_id` is looked up (the
    portrait's companies). `scope_region` is
    filtered by prefix (`LIKE '3401%'`, accounts/access.py) and by equality; under the databases' C.UTF-8
    collation only a pattern_ops index serves the prefix, and it serves equality too (SQLite ignores the
    operator class).
    """
    protected = id_columns(table.name)
    first_key = key_columns(table.name)[0]  # the natural key's unique index serves it
    looked_up = [
        protected[c.key].hash if c.key in protected else c.key
        for c in table.columns
        if c.type in _INDEXED_TYPES or c.key in _LOOKED_UP_MIXED.get(table.name, ())
    ]
    looked_up = [key for key in looked_up if key != first_key]
    return [
        *(models.Index(fields=[key]) for key in looked_up),  # named by Django, as db_index would
        models.Index(fields=["scope_region"], name=f"{table.name}_scope", opclasses=["varchar_pattern_ops"]),
    ]


def _id_property(spec: IdColumn) -> property:
    """`record.X = value` fills X_hash, X_enc and X_masked (and X_code for a uscc in a mixed column); reading
    `record.X` is refused, so no page can show a full ID by accident: use X_masked, X_hash or id_plain()."""

    def read(record: RegistryRecord) -> None:
        raise AttributeError(
            f"{spec.table}.{spec.key} 不以明文存储：显示用 {spec.masked}，查找用 {spec.hash}，"
            "确需完整号码时用 jiandu.registry.ids.id_plain()"
        )

    def write(record: RegistryRecord, value: object) -> None:
        id_assign(record, spec, value)

    return property(read, write)


def _build(table: Table, class_name: str) -> type[RegistryRecord]:
    attrs: dict[str, object] = {"__module__": __name__, "table": table}
    protected = id_columns(table.name)
    for column in table.columns:
        if column.key in protected:
            spec = protected[column.key]
            attrs.update(id_fields(column, spec))
            attrs[column.key] = _id_property(spec)
            continue
        attrs[column.key] = model_field(column)
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "db_table": f"registry_{table.name}",
            "verbose_name": table.zh,
            "verbose_name_plural": table.zh,
            "constraints": [
                models.UniqueConstraint(fields=key_columns(table.name), name=f"{table.name}_natural_key")
            ],
            "indexes": _indexes(table),
        },
    )
    return type(class_name, (RegistryRecord,), attrs)


CLASS_NAMES = {
    "units": "Unit",
    "officials": "Official",
    "positions": "Position",
    "family_members": "FamilyMember",
    "declared_assets": "DeclaredAsset",
    "companies": "Company",
    "company_roles": "CompanyRole",
    "tenders": "Tender",
    "bids": "Bid",
    "contracts": "Contract",
    "payments": "Payment",
    "decisions": "Decision",
    "petitions": "Petition",
    "audit_findings": "AuditFinding",
    "inspection_findings": "InspectionFinding",
    "travel_approvals": "TravelApproval",
    "border_crossings": "BorderCrossing",
    "real_estate": "RealEstate",
    "tax_income": "TaxIncome",
    "bank_transactions": "BankTransaction",
    "discipline_records": "DisciplineRecord",
    "talks": "Talk",
    "evaluations": "Evaluation",
}

REGISTRY: dict[str, type[RegistryRecord]] = {
    name: _build(table, CLASS_NAMES[name]) for name, table in load_contract().items()
}

Unit = REGISTRY["units"]
Official = REGISTRY["officials"]
Position = REGISTRY["positions"]
FamilyMember = REGISTRY["family_members"]
DeclaredAsset = REGISTRY["declared_assets"]
Company = REGISTRY["companies"]
CompanyRole = REGISTRY["company_roles"]
Tender = REGISTRY["tenders"]
Bid = REGISTRY["bids"]
Contract = REGISTRY["contracts"]
Payment = REGISTRY["payments"]
Decision = REGISTRY["decisions"]
Petition = REGISTRY["petitions"]
AuditFinding = REGISTRY["audit_findings"]
InspectionFinding = REGISTRY["inspection_findings"]
TravelApproval = REGISTRY["travel_approvals"]
BorderCrossing = REGISTRY["border_crossings"]
RealEstate = REGISTRY["real_estate"]
TaxIncome = REGISTRY["tax_income"]
BankTransaction = REGISTRY["bank_transactions"]
DisciplineRecord = REGISTRY["discipline_records"]
Talk = REGISTRY["talks"]
Evaluation = REGISTRY["evaluations"]


def registry_model(table_name: str) -> type[RegistryRecord]:
    """The model of a contract table; KeyError for an unknown table."""
    return REGISTRY[table_name]
