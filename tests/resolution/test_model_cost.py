"""The cheaper forms of the person model's SQL give exactly what the plain forms give."""

import itertools

import duckdb
import pyarrow as pa

from jiandu.analytics.resolution.person_model import (
    EM_BLOCKING_RULES,
    ONE_EDIT,
    RECORD_SCHEMA,
    _em_pair_counts,
)

NAMES = [
    "王",
    "李",
    "王伟",
    "王炜",
    "伟王",
    "王伟伟",
    "张伟",
    "王建国",
    "王建",
    "建国",
    "王健国",
    "欧阳修远",
    "欧阳修",
    "ab",
    "ba",
    "abc",
    "abd",
    "xbc",
]


def test_one_edit_guard_is_levenshtein_at_most_one():
    con = duckdb.connect()
    pairs = pa.table(
        {
            "name_l": [a for a, _ in itertools.product(NAMES, NAMES)],
            "name_r": [b for _, b in itertools.product(NAMES, NAMES)],
        }
    )
    con.register("p", pairs)
    rows = con.sql(f"SELECT name_l, name_r, {ONE_EDIT}, levenshtein(name_l, name_r) <= 1 FROM p").fetchall()
    assert all(guarded == plain for _, _, guarded, plain in rows), [r for r in rows if r[2] != r[3]]
    assert sum(1 for r in rows if r[2]) > len(NAMES)  # not only the identical pairs


def test_em_pair_counts_equal_the_blocking_joins():
    names = ["王伟", "王伟", "王炜", "王伟", "李红", "李鸿", None, "张三"]
    ids = ["A", None, None, "B", "C", None, None, None]
    dates = ["1970-01-01", "1970-01-01", None, "1970-01-01", "1980-02-02", "1980-02-02", "1970-01-01", None]
    from jiandu.analytics.resolution.normalise import name_pinyin

    records = pa.table(
        {
            "unique_id": [f"r{i}" for i in range(len(names))],
            "id_number": ids,
            "name": names,
            "name_py": [name_pinyin(n) if n else None for n in names],
            "birth_date": pa.array(dates, pa.string()).cast(pa.date32()),
            "gender": [None] * len(names),
            "region": [None] * len(names),
            "units": [None] * len(names),
            "titles": [None] * len(names),
            "contexts": [None] * len(names),
        }
    ).cast(RECORD_SCHEMA)
    con = duckdb.connect()
    con.register("recs", records)
    joined = [
        con.sql(
            f"SELECT count(*) FROM recs l JOIN recs r ON l.unique_id < r.unique_id AND {rule}"
        ).fetchall()[0][0]
        for rule in EM_BLOCKING_RULES
    ]
    assert _em_pair_counts(records) == joined
    assert joined == [2, 6, 4]
