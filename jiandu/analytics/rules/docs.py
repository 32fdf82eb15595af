"""Render one doc page per rule (docs/rules/<CODE>.md) and the catalogue index from the declarations.

The declaration is the single source of a rule's method, reasons, parameters, exclusions and decisions;
the example comes from the rule's first fixture (package data, so rendering works from an installed wheel).
`python -m jiandu.analytics.rules.docs [DIR]` rewrites the pages in DIR (default: docs/rules under the current
directory, i.e. run it from the checkout); a test fails when a page is missing or stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from jiandu.analytics.rules.base import GROUPS, Rule
from jiandu.analytics.rules.engine import registry
from jiandu.analytics.rules.fixtures import fixture_paths

DEFAULT_DOCS_DIR = Path("docs") / "rules"


def _example(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    story = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    lines = [f"From `jiandu/analytics/rules/fixtures/{path.name}` (scan date {doc['as_of']}"]
    lines[-1] += f", parameters {doc['params']})." if doc.get("params") else ")."
    lines += ["", *(f"> {s}" for s in story), ""]
    expected = doc.get("expected") or []
    lines.append(f"Expected alerts: {len(expected)}.")
    for e in expected:
        chain = " → ".join(f"{t}#{r}" for t, r in e["evidence"])
        lines.append(
            f"- {e['severity']} · {e['subject']['type']} `{e['subject']['key']}` · "
            f"{e['period'][0]} … {e['period'][1]} · evidence {chain}"
        )
    return lines


def render_rule_page(rule: Rule) -> str:
    alias = f" · OCP {rule.ocp}" if rule.ocp else ""
    out = [
        f"# {rule.code} {rule.title}",
        "",
        f"Group {rule.group} {rule.group_zh} · severity {rule.severity} · version {rule.version}{alias}",
        "",
        "## Method",
        "",
        rule.method,
        "",
        "## Why it is a red flag",
        "",
        rule.why,
        "",
        "## Parameters",
        "",
    ]
    if rule.params:
        out += ["| name | default | meaning |", "|---|---|---|"]
        out += [
            f"| `{p.name}` | {p.default if p.default is not None else '—'} | {p.zh} |" for p in rule.params
        ]
    else:
        out.append("None.")
    out += ["", "## Exclusions", ""]
    out += [f"- {x}" for x in rule.exclusions] or ["None beyond the method."]
    out += ["", "## Decisions where the catalogue is ambiguous", ""]
    out += [f"- {x}" for x in rule.decisions] or ["None."]
    if rule.notes:
        out += ["", "## Notes for readers of its alerts", ""]
        out += [f"- {x}" for x in rule.notes]
    out += ["", "## Example", ""]
    fixtures = fixture_paths(rule.code)
    if fixtures:
        out += _example(fixtures[0])
        if len(fixtures) > 1:
            out += ["", "Other fixtures: " + ", ".join(f"`{p.name}`" for p in fixtures[1:]) + "."]
    out.append("")
    return "\n".join(out)


def render_index() -> str:
    out = [
        "# Red-flag rule catalogue (预警规则)",
        "",
        "Generated from the rule declarations (`python -m jiandu.analytics.rules.docs`). The engine and its",
        "conventions are described in [the decision record](../decisions/0001-rules-engine.md).",
        "",
    ]
    for group, zh in GROUPS.items():
        out += [f"## {group} {zh}", "", "| code | title | severity | parameters |", "|---|---|---|---|"]
        for r in registry():
            if r.group == group:
                params = ", ".join(f"`{p.name}`={p.default}" for p in r.params) or "—"
                out.append(f"| [{r.code}]({r.code}.md) | {r.title} | {r.severity} | {params} |")
        out.append("")
    return "\n".join(out)


def expected_pages(docs_dir: Path) -> dict[Path, str]:
    pages = {docs_dir / f"{r.code}.md": render_rule_page(r) for r in registry()}
    pages[docs_dir / "index.md"] = render_index()
    return pages


def write_docs(docs_dir: Path) -> None:
    docs_dir.mkdir(parents=True, exist_ok=True)
    for path, text in expected_pages(docs_dir).items():
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_docs(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DOCS_DIR)
