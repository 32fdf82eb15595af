"""The petition vocabulary: unit abbreviations and title synonyms as data (petition_vocabulary.yaml).

`load_vocabulary(override)` reads the packaged file and merges an administrator's file over it (an entry
given there replaces the packaged one; an empty list removes it). Errors name the file and the entry, in
Chinese, because the administrator who edits the file reads them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PACKAGED = Path(__file__).with_name("petition_vocabulary.yaml")
_PLACEHOLDERS = ("{place}", "{stem}", "{name}")
_UNIT_OPTIONS = {"short", "place_bound", "named", "party"}


class VocabularyError(ValueError):
    """A vocabulary file that cannot be used; the message says which file and which entry, in Chinese."""


@dataclass(frozen=True)
class BodyForms:
    """Short forms of one registered body name (住房和城乡建设局 → 住建局 …)."""

    body: str
    short: tuple[str, ...]
    place_bound: bool = False
    named: bool = False
    party: bool = False


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Equal (and hashed) by fingerprint, so per-vocabulary caches key on it."""

    bodies: dict[str, BodyForms] = field(default_factory=dict)
    principal: frozenset[str] = frozenset()
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)
    title_words: tuple[str, ...] = ()
    fingerprint: str = ""

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and other.fingerprint == self.fingerprint

    def bodies_longest_first(self) -> list[BodyForms]:
        return sorted(self.bodies.values(), key=lambda b: (-len(b.body), b.body))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise VocabularyError(f"信访称谓词表文件不存在：{path}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"信访称谓词表文件 {path} 不是有效的 YAML（UTF-8）：{exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not set(data) <= {"units", "titles"}:
        raise VocabularyError(f"信访称谓词表文件 {path} 的顶层只能有 units 和 titles 两项")
    return data


def _words(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise VocabularyError(f"信访称谓词表文件 {path} 中 {where} 应为非空文字的列表")
    return tuple(v.strip() for v in value)


def _body(path: Path, body: str, value: Any) -> BodyForms | None:
    where = f"units → {body}"
    if isinstance(value, dict):
        unknown = set(value) - _UNIT_OPTIONS
        if unknown:
            raise VocabularyError(
                f"信访称谓词表文件 {path} 中 {where} 有未知选项：{'、'.join(sorted(unknown))}"
                f"（可用：short、place_bound、named、party）"
            )
        short = _words(path, f"{where} → short", value.get("short"))
        flags = {k: value.get(k, False) for k in ("place_bound", "named", "party")}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise VocabularyError(f"信访称谓词表文件 {path} 中 {where} → {key} 应为 true 或 false")
    else:
        short, flags = _words(path, where, value), {}
    if not short:
        return None  # an empty list removes the packaged entry
    for form in short:
        if "{" in form.replace("{place}", "").replace("{stem}", "").replace("{name}", ""):
            raise VocabularyError(
                f"信访称谓词表文件 {path} 中 {where} 的简称“{form}”含未知占位符（可用：{'、'.join(_PLACEHOLDERS)}）"
            )
    if flags.get("named") and not all("{name}" in f for f in short):
        raise VocabularyError(f"信访称谓词表文件 {path} 中 {where} 设了 named，每个简称都要含 {{name}}")
    return BodyForms(body, short, **flags)


def _merge(path: Path, data: dict[str, Any], into: dict[str, Any]) -> None:
    units = data.get("units") or {}
    if not isinstance(units, dict):
        raise VocabularyError(f"信访称谓词表文件 {path} 中 units 应为“机构全称: [简称, …]”的映射")
    for body, value in units.items():
        if not isinstance(body, str) or not body.strip():
            raise VocabularyError(f"信访称谓词表文件 {path} 中 units 有空的机构名称")
        forms = _body(path, body.strip(), value)
        if forms is None:
            into["bodies"].pop(body.strip(), None)
        else:
            into["bodies"][body.strip()] = forms
    titles = data.get("titles") or {}
    if not isinstance(titles, dict) or not set(titles) <= {"principal", "synonyms", "words"}:
        raise VocabularyError(f"信访称谓词表文件 {path} 中 titles 只能有 principal、synonyms、words 三项")
    if "principal" in titles:
        into["principal"] = _words(path, "titles → principal", titles["principal"])
    if "words" in titles:
        into["words"] = _words(path, "titles → words", titles["words"])
    synonyms = titles.get("synonyms") or {}
    if not isinstance(synonyms, dict):
        raise VocabularyError(f"信访称谓词表文件 {path} 中 titles → synonyms 应为“称呼: [职务, …]”的映射")
    for word, value in synonyms.items():
        full = _words(path, f"titles → synonyms → {word}", value)
        if full:
            into["synonyms"][str(word).strip()] = frozenset(full)
        else:
            into["synonyms"].pop(str(word).strip(), None)


@lru_cache(maxsize=8)
def _load(override: str | None, stamp: float | None) -> Vocabulary:
    merged: dict[str, Any] = {"bodies": {}, "principal": (), "words": (), "synonyms": {}}
    texts = []
    for path in [PACKAGED] + ([Path(override)] if override else []):
        data = _read(path)
        _merge(path, data, merged)
        texts.append(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str))
    principal = frozenset(merged["principal"])
    words = tuple(dict.fromkeys([*merged["words"], *principal, *merged["synonyms"]]))
    return Vocabulary(
        bodies=merged["bodies"],
        principal=principal,
        synonyms=merged["synonyms"],
        title_words=words,
        fingerprint=hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16],
    )


def load_vocabulary(override: str | Path | None = None) -> Vocabulary:
    """The packaged vocabulary, with the entries of `override` (a YAML file of the same shape) merged over."""
    if override:
        path = Path(override)
        if not path.is_file():
            raise VocabularyError(f"信访称谓词表文件不存在：{path}（见设置 JIANDU_PETITION_VOCABULARY）")
        return _load(str(path), path.stat().st_mtime)
    return _load(None, None)
