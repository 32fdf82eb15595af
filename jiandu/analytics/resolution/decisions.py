"""From scored candidate pairs and human judgements to one decision per mention without an identifier.

Persons are clustered greedily on the strongest pairs first, under two constraints that make the result
explainable: a cluster never holds two different ID numbers (IDs decide), and never two records a
supervisor judged 'different'. A supervisor's 'same' is applied before any score; 'unsure' keeps the pair
out of automatic linking and in the review queue. Deleting a judgement and re-running restores the
automatic result, which is what makes merges and splits reversible.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from jiandu.analytics.resolution.normalise import stable_hash

SAME, DIFFERENT, UNSURE = "same", "different", "unsure"


@dataclass(frozen=True)
class Pair:
    left_key: str
    right_key: str
    probability: float
    match_weight: float
    contributions: dict[str, float] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Decision:
    mention_key: str
    entity_id: str
    id_number: str | None
    method: str
    score: float | None
    status: str  # 'linked' | 'proposed'


class Judgements:
    """Stored supervisor verdicts, looked up for an unordered pair of keys."""

    def __init__(self, rows: list[tuple[str, str, str]] | None = None) -> None:
        self._verdicts: dict[frozenset[str], str] = {}
        for left, right, verdict in rows or []:
            if verdict in (SAME, DIFFERENT, UNSURE) and left != right:
                self._verdicts[frozenset((left, right))] = verdict

    def verdict(self, a: str, b: str) -> str | None:
        return self._verdicts.get(frozenset((a, b)))

    def pairs(self, verdict: str) -> list[tuple[str, str]]:
        return [tuple(sorted(k)) for k, v in self._verdicts.items() if v == verdict]  # type: ignore[misc]


def entity_of_id(key: str) -> str | None:
    """The id_number of an ID record key "P:<id>" (None for a mention key)."""
    return key[2:] if key.startswith("P:") and not key.startswith("P:~") else None


class _Clusters:
    def __init__(self, keys: set[str], judgements: Judgements) -> None:
        self.parent = {k: k for k in keys}
        self.members: dict[str, set[str]] = {k: {k} for k in keys}
        self.ident: dict[str, str | None] = {k: entity_of_id(k) for k in keys}
        self.cannot: dict[str, set[str]] = defaultdict(set)
        for a, b in judgements.pairs(DIFFERENT):
            self.cannot[a].add(b)
            self.cannot[b].add(a)

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ia, ib = self.ident[ra], self.ident[rb]
        if ia and ib and ia != ib:
            return False
        if any(self.cannot[m] & self.members[rb] for m in self.members[ra]):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.ident[ra] = self.ident[ra] or self.ident[rb]
        return True


def decide_persons(
    idless: list[str],
    pairs: list[Pair],
    judgements: Judgements,
    *,
    link_probability: float,
    review_probability: float,
    ambiguity_weight: float = 2.0,
) -> list[Decision]:
    """One decision per ID-less person mention key."""
    idless_set = set(idless)
    keys = set(idless)
    for p in pairs:
        keys.update((p.left_key, p.right_key))
    for a, b in judgements.pairs(SAME):
        if all(k in idless_set or entity_of_id(k) for k in (a, b)):
            keys.update((a, b))
            pairs = [Pair(a, b, 1.0, 99.0, {"judgement": 1.0}), *pairs]
    # A mention whose two best ID holders score alike is not linked to either: it goes to review.
    best_ids: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        for own, other in ((p.left_key, p.right_key), (p.right_key, p.left_key)):
            if own in idless_set and entity_of_id(other) and judgements.verdict(own, other) != DIFFERENT:
                best_ids[own].append(p)
    ambiguous = set()
    for own, cands in best_ids.items():
        strong = sorted(
            (c for c in cands if c.probability >= link_probability), key=lambda c: -c.match_weight
        )
        if len(strong) >= 2 and strong[0].match_weight - strong[1].match_weight < ambiguity_weight:
            if strong[0].match_weight < 99.0:
                ambiguous.add(own)
    clusters = _Clusters(keys, judgements)
    joined: dict[str, tuple[float, str]] = {}
    for p in sorted(pairs, key=lambda p: -p.match_weight):
        verdict = judgements.verdict(p.left_key, p.right_key)
        forced = verdict == SAME
        if not forced and (p.probability < link_probability or verdict in (DIFFERENT, UNSURE)):
            continue
        if not forced and any(k in ambiguous and entity_of_id(o) for k, o in _ends(p)):
            continue
        if clusters.union(p.left_key, p.right_key):
            for k in (p.left_key, p.right_key):
                if k in idless_set and k not in joined:
                    joined[k] = (p.probability, "judgement" if forced else "splink")
    decisions: dict[str, Decision] = {}
    for key in idless:
        root = clusters.find(key)
        ident = clusters.ident[root]
        if key in joined and ident:
            decisions[key] = Decision(key, f"P:{ident}", ident, joined[key][1], joined[key][0], "linked")
        elif key in joined:
            anchor = min(clusters.members[root])
            decisions[key] = Decision(
                key, "P:~" + stable_hash("person", anchor), None, joined[key][1], joined[key][0], "linked"
            )
    incident: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        incident[p.left_key].append(p)
        incident[p.right_key].append(p)
    for key in idless:
        if key in decisions:
            continue
        proposal = _best_review(incident[key], judgements, review_probability)
        if proposal is None:
            decisions[key] = Decision(
                key, "P:~" + stable_hash("person", key), None, "new_entity", None, "linked"
            )
            continue
        other = proposal.right_key if proposal.left_key == key else proposal.left_key
        ident = entity_of_id(other)
        entity = (
            f"P:{ident}"
            if ident
            else decisions.get(
                other, Decision(other, "P:~" + stable_hash("person", other), None, "", None, "")
            ).entity_id
        )
        decisions[key] = Decision(key, entity, ident, "splink", proposal.probability, "proposed")
    return [decisions[k] for k in idless]


def _ends(p: Pair) -> tuple[tuple[str, str], tuple[str, str]]:
    return ((p.left_key, p.right_key), (p.right_key, p.left_key))


def _best_review(pairs: list[Pair], judgements: Judgements, review_probability: float) -> Pair | None:
    best: Pair | None = None
    for p in pairs:
        verdict = judgements.verdict(p.left_key, p.right_key)
        if verdict == DIFFERENT or (p.probability < review_probability and verdict != UNSURE):
            continue
        if best is None or p.match_weight > best.match_weight:
            best = p
    return best
