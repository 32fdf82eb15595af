"""Recusal (回避): whether a commission user may open an official, a lead or an alert, given their own links.

《监察法》第五十八条 (2018 text; the 纪律检查机关监督执纪工作规则 has the same list) obliges a commission member to
step aside when they are a close relative (近亲属) of the person concerned, or they or a close relative have an
interest in the matter, or another relation could affect the fair handling of it. The platform checks the links
the registry can prove, from the user's own identity (linked by an administrator, accounts/services.py):

- self: the user is a person of the subject;
- close relatives, from the family declarations (个人有关事项报告) in either direction — spouse, parents,
  children, siblings (the 监察法释义 reading of 近亲属), widened to grandparents / grandchildren (民法典第一千
  零四十五条) and to the near in-laws the declarations record (配偶父母, 子女配偶; 近姻亲 in the commission's
  recusal rules). Two declarations are chained at most once along parent/child/spouse lines: a parent's
  parents, a child's children, a parent's other children (siblings nobody declared as such), a spouse's
  parents, a child's spouse. Cousins, uncles and a spouse's siblings are not derived: the declarations do
  not reach them reliably;
- former colleague: a position in the same unit (unit_code) overlapping or adjacent (the next day) to one of
  the subject's, with the last shared or handover day in the 3 years up to today (inclusive);
- same company: the user or a relative above holds a role (股东, 法定代表人, 董事, …) in a company in which a
  person of the subject holds one too, or which is itself a party of the subject (an alert's evidence). Roles
  count while held within the same 3 years.

A subject's persons and companies are, in registry form: an official's id_number; a lead's subjects, the
registry row and the alert it came from; an alert's subject and every person and company of its evidence.

Everything is set-based: at most six registry queries for the user's links plus one per evidence table,
whatever the size of the registry. The lookups deliberately bypass jurisdiction scoping (a relative's record in
another county still counts) and return only reason codes and (table, rid) proofs, never shown to the user.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.analytics.idcolumns import is_id_hash
from jiandu.registry.models import REGISTRY, RegistryRecord
from jiandu.security.idnumbers import id_hash

R: dict[str, Any] = REGISTRY  # generated models: contract fields are invisible to the type checker
WINDOW_YEARS = 3

REASONS: dict[str, Any] = {
    "self": _("本人"),
    "spouse": _("近亲属：配偶"),
    "parent_child": _("近亲属：父母子女"),
    "sibling": _("近亲属：兄弟姐妹"),
    "grandparent": _("近亲属：祖孙"),
    "in_law": _("近姻亲：配偶父母或子女配偶"),
    "colleague": _("三年内同单位任职"),
    "company": _("本人或近亲属与其关联同一企业"),
}

# Columns the contract leaves untyped that hold a person's id_number (or a company's uscc).
_UNTYPED_PARTY_COLUMNS = {
    "company_roles": ("holder_id",),
    "bank_transactions": ("counterpart_id",),
    "payments": ("payee_code",),
    "inspection_findings": ("person_ids",),
}


# --- the idcrypt seam ---------------------------------------------------------------------------------------
# Every registry id column and value the recusal check touches passes through these two functions. The
# registry holds IDs as keyed hashes (`<column>_hash`, purpose "id-number", docs/security.md): the same form
# as the user's stored identity link hash.


def _id_column(column: str) -> str:
    """The model field holding the matchable form of a registry id column."""
    return f"{column}_hash"


def _registry_id(plain: str) -> str:
    """An ID (plain, or already the keyed hash, as URLs and alerts carry it) in the registry's matchable form."""
    return plain if is_id_hash(plain) else id_hash(plain)


def _id_in(column: str, ids: Iterable[str]) -> Q:
    return Q(**{f"{_id_column(column)}__in": sorted(set(ids))})


# -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """A record proving one side of a link: a registry table and row id, or app.model and primary key."""

    table: str
    rid: int

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "rid": self.rid}


@dataclass(frozen=True)
class Conflict:
    reason: str
    proofs: tuple[Proof, ...]

    @property
    def label(self) -> str:
        return str(REASONS[self.reason])


@dataclass
class Parties:
    """The persons (registry id form) and companies (uscc) a subject concerns, each with where it was found."""

    persons: dict[str, list[Proof]] = field(default_factory=lambda: defaultdict(list))
    companies: dict[str, list[Proof]] = field(default_factory=lambda: defaultdict(list))

    def add_person(self, value: Any, proof: Proof) -> None:
        if value:
            self.persons[str(value)].append(proof)

    def add_company(self, value: Any, proof: Proof) -> None:
        if value:
            self.companies[str(value)].append(proof)


@dataclass(frozen=True)
class PersonRef:
    """A person named only by an ID or its keyed hash (the lead register's per-person page carries the hash)."""

    id_number: str


def today_minus_years(today: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


# --- subjects -----------------------------------------------------------------------------------------------
# Which persons and companies a subject concerns is the business of the app that owns the subject: leads and
# alerts register a PartyRule for their model in their AppConfig.ready (this module knows no app above the
# registry). A registry row and a PersonRef are this module's own.


@dataclass(frozen=True)
class Links:
    """Everyone and every company the user must step aside from, set-based: the union, over all subjects, of
    what `recusal_conflicts` would find. A subject is conflicted when one of its parties is in here."""

    persons: frozenset[str]
    companies: frozenset[str]


@dataclass(frozen=True)
class PartyRule:
    """How one model names its parties: `add` for one object (detail pages), `conflicted` as a Q over the
    model's table for lists and exports (the rows whose subject is among the user's Links)."""

    add: Callable[[Parties, Any], None]
    conflicted: Callable[[Links], Q]


_PARTY_RULES: dict[type, PartyRule] = {}


def party_rule_register(model: type, rule: PartyRule) -> None:
    """Called from an upper app's AppConfig.ready: `model`'s subjects are checked with `rule`."""
    _PARTY_RULES[model] = rule


def _rule_for(model: type) -> PartyRule | None:
    for klass in model.__mro__:
        if klass in _PARTY_RULES:
            return _PARTY_RULES[klass]
    return None


def parties_of(subject: Any) -> Parties:
    """The persons and companies of an official/registry row, a lead, an alert or a PersonRef."""
    parties = Parties()
    add_parties(parties, subject)
    return parties


def add_parties(parties: Parties, subject: Any) -> None:
    if isinstance(subject, RegistryRecord):
        _add_row(parties, subject.table.name, subject)
        return
    if isinstance(subject, PersonRef):
        parties.add_person(_registry_id(subject.id_number), Proof("leads.person", 0))
        return
    rule = _rule_for(type(subject))
    if rule is None:
        raise TypeError(f"no recusal subject rule for {type(subject).__name__}")
    rule.add(parties, subject)


def conflicted_rows(model: type, links: Links) -> Q | None:
    """The rows of `model` (a registry table or a registered subject model) the user must step aside from;
    None for a model that names no party."""
    if issubclass(model, RegistryRecord):
        return row_conflicted(model, links)
    rule = _rule_for(model)
    return None if rule is None else rule.conflicted(links)


def _add_row(parties: Parties, table: str, row: Any) -> None:
    proof = Proof(table, row.pk)
    for column in row.table.columns:
        if column.type == "id_number":
            parties.add_person(getattr(row, _id_column(column.key)), proof)
        elif column.type == "uscc":
            parties.add_company(getattr(row, column.key), proof)
    for key in _UNTYPED_PARTY_COLUMNS.get(table, ()):
        value = getattr(row, _id_column(key))
        for item in value if isinstance(value, list) else [value]:
            parties.add_person(item, proof)
        parties.add_company(getattr(row, f"{key}_code", None), proof)  # a company's uscc stays readable


def row_conflicted(model: Any, links: Links) -> Q | None:
    """`_add_row` as a Q: rows one of whose person or company columns is among the links. The list-valued
    column (inspection_findings.person_ids) is left to the detail page's check: it cannot be matched with
    `IN` on every database."""
    table = model.table
    persons, companies = sorted(links.persons), sorted(links.companies)
    found = Q(pk__in=[])
    named = False
    for column in table.columns:
        if column.type == "id_number":
            found |= Q(**{f"{_id_column(column.key)}__in": persons})
            named = True
        elif column.type == "uscc":
            found |= Q(**{f"{column.key}__in": companies})
            named = True
    fields = {f.name for f in model._meta.get_fields()}
    for key in _UNTYPED_PARTY_COLUMNS.get(table.name, ()):
        if any(c.key == key and c.type == "list" for c in table.columns):
            continue
        found |= Q(**{f"{_id_column(key)}__in": persons})
        if f"{key}_code" in fields:
            found |= Q(**{f"{key}_code__in": companies})
        named = True
    return found if named else None


def evidence_add(parties: Parties, evidence: list[dict[str, Any]]) -> None:
    """Every registry row of an evidence chain, one query per table."""
    by_table: dict[str, set[int]] = defaultdict(set)
    for item in evidence:
        if item.get("table") in R and item.get("rid") is not None:
            by_table[item["table"]].add(int(item["rid"]))
    for table, rids in sorted(by_table.items()):
        for row in R[table].objects.filter(pk__in=sorted(rids)):
            _add_row(parties, table, row)


# --- the user's links ---------------------------------------------------------------------------------------

# What the declared member is to the declarant, and what the declarant is to a member who declares nothing.
_FORWARD = {
    "配偶": "spouse",
    "子女": "child",
    "父亲": "parent",
    "母亲": "parent",
    "兄弟姐妹": "sibling",
    "子女配偶": "child_in_law",
    "配偶父母": "parent_in_law",
}
_BACKWARD = {
    "配偶": "spouse",
    "子女": "parent",
    "父亲": "child",
    "母亲": "child",
    "兄弟姐妹": "sibling",
    "子女配偶": "parent_in_law",
    "配偶父母": "child_in_law",
}
_REASON_OF_KIN = {
    "spouse": "spouse",
    "child": "parent_child",
    "parent": "parent_child",
    "sibling": "sibling",
    "grandparent": "grandparent",
    "grandchild": "grandparent",
    "child_in_law": "in_law",
    "parent_in_law": "in_law",
}

Kin = dict[str, dict[str, list[Proof]]]  # person → kin kind → proofs


def _relatives(me: str) -> Kin:
    """The user's relatives from the family declarations: one hop either way, then one more along
    parent/child/spouse lines (two queries)."""
    model = R["family_members"]
    decl, member = _id_column("declarant_id"), _id_column("id_number")
    kin: Kin = defaultdict(lambda: defaultdict(list))
    for pk, declarant, person, relation in model.objects.filter(
        _id_in("declarant_id", [me]) | _id_in("id_number", [me])
    ).values_list("pk", decl, member, "relation"):
        if declarant == me and person and person != me:
            kin[person][_FORWARD[relation]].append(Proof("family_members", pk))
        elif person == me and declarant != me:
            kin[declarant][_BACKWARD[relation]].append(Proof("family_members", pk))
    hop = {p for p, kinds in kin.items() if kinds.keys() & {"parent", "child", "spouse"}}
    if not hop:
        return kin
    parents_of: dict[str, list[tuple[str, Proof]]] = defaultdict(list)
    children_of: dict[str, list[tuple[str, Proof]]] = defaultdict(list)
    spouses_of: dict[str, list[tuple[str, Proof]]] = defaultdict(list)
    for pk, declarant, person, relation in model.objects.filter(
        (_id_in("declarant_id", hop) | _id_in("id_number", hop)),
        relation__in=("子女", "父亲", "母亲", "配偶"),
    ).values_list("pk", decl, member, "relation"):
        if not person:
            continue
        proof = Proof("family_members", pk)
        if relation == "配偶":
            spouses_of[declarant].append((person, proof))
            spouses_of[person].append((declarant, proof))
            continue
        parent, child = (declarant, person) if relation == "子女" else (person, declarant)
        parents_of[child].append((parent, proof))
        children_of[parent].append((child, proof))
    for x in sorted(hop):
        first = [p for kind in ("parent", "child", "spouse") for p in kin[x].get(kind, [])]
        derived: list[tuple[str, list[tuple[str, Proof]]]] = []
        if "parent" in kin[x]:
            derived += [("grandparent", parents_of[x]), ("sibling", children_of[x])]
        if "child" in kin[x]:
            derived += [("grandchild", children_of[x]), ("child_in_law", spouses_of[x])]
        if "spouse" in kin[x]:
            derived.append(("parent_in_law", parents_of[x]))
        for kind, found in derived:
            for other, proof in found:
                if other != me and other != x:
                    kin[other][kind].extend([*first, proof])
    return kin


def _held_since(since: dt.date, today: dt.date) -> Q:
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=since))


def _colleague_positions(me: str, today: dt.date, among: set[str] | None) -> list[tuple[str, int, int]]:
    """Persons (of `among`, or anyone) holding a position in one of the user's units, overlapping or
    adjacent, the last shared (or handover) day within the window: (person, my position, theirs)."""
    since = today_minus_years(today, WINDOW_YEARS)
    fields = ("pk", _id_column("id_number"), "unit_code", "start_date", "end_date")
    positions = R["positions"].objects.filter(_held_since(since, today))
    mine = list(positions.filter(_id_in("id_number", [me])).values_list(*fields))
    if not mine:
        return []
    theirs = positions.filter(unit_code__in=sorted({p[2] for p in mine}))
    theirs = theirs.filter(_id_in("id_number", among)) if among is not None else theirs
    found = []
    for b_pk, person, unit, b_start, b_end in theirs.values_list(*fields):
        if person == me or not person:
            continue
        for a_pk, _me, a_unit, a_start, a_end in mine:
            last_shared = min(a_end or today, b_end or today, today)
            if unit == a_unit and max(a_start, b_start) <= last_shared + dt.timedelta(days=1):
                if last_shared >= since:
                    found.append((person, a_pk, b_pk))
    return found


def _colleagues(me: str, parties: Parties, today: dt.date) -> list[Conflict]:
    others = set(parties.persons) - {me}
    if not others:
        return []
    return [
        Conflict("colleague", (Proof("positions", a), Proof("positions", b), *parties.persons[person]))
        for person, a, b in _colleague_positions(me, today, others)
    ]


def _companies(me: str, kin: Kin, parties: Parties, today: dt.date) -> list[Conflict]:
    """Roles of the user or a relative in a company a person of the subject holds a role in, or which is a
    party of the subject itself."""
    since = today_minus_years(today, WINDOW_YEARS)
    holders = {me, *kin}
    roles = R["company_roles"].objects.filter(_held_since(since, today))
    fields = ("pk", "uscc", _id_column("holder_id"))
    mine = list(roles.filter(_id_in("holder_id", holders)).values_list(*fields))
    if not mine:
        return []
    found = []
    for pk, uscc, _holder in mine:
        if uscc in parties.companies:
            found.append(Conflict("company", (Proof("company_roles", pk), *parties.companies[uscc])))
    others = set(parties.persons) - holders
    if others:
        by_company: dict[str, list[int]] = defaultdict(list)
        for pk, uscc, _holder in mine:
            by_company[uscc].append(pk)
        shared = roles.filter(_id_in("holder_id", others), uscc__in=sorted(by_company))
        for pk, uscc, holder in shared.values_list(*fields):
            proofs = [Proof("company_roles", p) for p in by_company[uscc]]
            found.append(Conflict("company", (*proofs, Proof("company_roles", pk), *parties.persons[holder])))
    return found


def _company_links(me: str, kin: Kin, today: dt.date) -> tuple[set[str], set[str]]:
    """`_companies` without a subject: (companies the user or a relative holds a role in, the other
    holders of a role in them) within the window."""
    since = today_minus_years(today, WINDOW_YEARS)
    roles = R["company_roles"].objects.filter(_held_since(since, today))
    mine = set(roles.filter(_id_in("holder_id", {me, *kin})).values_list("uscc", flat=True))
    if not mine:
        return set(), set()
    holders = roles.filter(uscc__in=sorted(mine)).values_list(_id_column("holder_id"), flat=True)
    return mine, {h for h in holders if h}


def recusal_links(identity: str, today: dt.date) -> Links:
    """Everyone and every company the user (plain id_number of their identity link) must step aside from,
    for lists and exports: the same relations as `recusal_conflicts`, computed once for all subjects."""
    me = _registry_id(identity)
    kin = _relatives(me)
    companies, holders = _company_links(me, kin, today)
    colleagues = {person for person, _a, _b in _colleague_positions(me, today, None)}
    persons = {me, *kin, *colleagues, *holders}
    return Links(frozenset(persons), frozenset(companies))


def recusal_conflicts(identity: str, parties: Parties, today: dt.date) -> list[Conflict]:
    """The conflicts between the user (plain id_number of their identity link) and a subject's parties,
    one per reason, each with the records that prove it; empty when the user may open the subject."""
    me = _registry_id(identity)
    found: list[Conflict] = []
    if me in parties.persons:
        found.append(Conflict("self", tuple(parties.persons[me])))
    kin = _relatives(me)
    for person, kinds in kin.items():
        if person in parties.persons:
            for kind, proofs in kinds.items():
                found.append(Conflict(_REASON_OF_KIN[kind], (*proofs, *parties.persons[person])))
    found += _colleagues(me, parties, today)
    found += _companies(me, kin, parties, today)
    return _merged(found)


def _merged(conflicts: list[Conflict]) -> list[Conflict]:
    """One conflict per reason (in REASONS order), proofs de-duplicated in the order found."""
    proofs: dict[str, dict[Proof, None]] = defaultdict(dict)
    for conflict in conflicts:
        for proof in conflict.proofs:
            proofs[conflict.reason][proof] = None
    return [Conflict(reason, tuple(proofs[reason])) for reason in REASONS if reason in proofs]
