"""`render.output.dumps` is `json.dumps(..., ensure_ascii=False, indent=2)` byte for byte (issue 17: --json).

Generated documents of every kind JSON takes (and dates, through the default), nested in
lists, tuples and dicts with every kind of key json accepts; and the refusals json makes.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from enum import IntEnum, StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sopcli.render import output
from sopcli.render.output import _default, dumps


def reference(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=_default)


class Colour(StrEnum):
    RED = "красный"


class Level(IntEnum):
    HIGH = 3


leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.dates(), st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=3))])),
    st.sampled_from([Colour.RED, Level.HIGH, "\u2028", "\x00\x1f\x7f", '"\\/', "ё", "},\n      {", "}"]),
)
keys = st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none())
documents = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(keys, inner, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_same_bytes_as_json_dumps(doc: object) -> None:
    assert dumps(doc) == reference(doc)


records = st.lists(st.dictionaries(keys, leaves, min_size=1, max_size=6), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=3), st.one_of(records, st.lists(records, max_size=3)), max_size=3))
def test_lists_of_records_as_json_dumps(doc: object) -> None:
    """The digest's shape: lists of flat dicts, written by one C call and then put on lines."""
    assert dumps(doc) == reference(doc)


def test_a_digest_shaped_document() -> None:
    at = datetime(2026, 11, 23, tzinfo=timezone(timedelta(hours=3)))
    doc = {"as_of": at, "obligations": [{"id": i, "due": date(2026, 1, 1 + i), "late": None, "overdue": True,
                                         "title": "Проверка «условий»\n", "to": ""} for i in range(3)],
           "birth_dates_missing": []}
    assert dumps(doc) == reference(doc)


@pytest.mark.parametrize("bad", [{(1, 2): 1}, [object()], {"a": {1, 2}}])
def test_refuses_what_json_refuses(bad: object) -> None:
    with pytest.raises(TypeError):
        reference(bad)
    with pytest.raises(TypeError):
        dumps(bad)


def test_a_circular_document_is_refused() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular"):
        dumps(loop)


def test_records_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records encoded a slice at a time join as one list: the boundary of two slices is a boundary of two records."""
    monkeypatch.setattr(output, "_SLICE", 2)
    tz = timezone(timedelta(hours=3))
    shared = datetime(2026, 1, 1, 9, tzinfo=UTC)
    rows = [{"id": i, "at": shared, "local": shared.astimezone(tz), "day": date(2026, 1, 1 + i), "note": "}\n{"}
            for i in range(7)]
    for doc in ({"obligations": rows}, [rows, rows[:1], rows[:2]]):
        assert dumps(doc) == reference(doc)


def test_emit_json_writes_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"as_of": date(2026, 11, 23), "obligations": [{"id": 1, "title": "ё"}, {"id": 2, "title": ""}], "x": []}
    output.emit_json(doc)
    assert capsys.readouterr().out == reference(doc) + "\n"


def test_records_of_the_same_keys_by_one_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """Records sharing their keys are written by one template (`%`): a key or a value with «%», «%s», a NUL,
    a brace or a new line, days and moments, and slices of them, come out as json writes them."""
    monkeypatch.setattr(output, "_SLICE", 3)
    at = datetime(2026, 11, 23, 9, tzinfo=timezone(timedelta(hours=3)))
    rows = [{"id": i, "100%": f"%s {i} %d\x00}},\n{{", "due": date(2026, 1, 1 + i), "at": at, "x": 1.5 * i,
             "ok": i % 2 == 0, "none": None, "%(a)s": "ё"} for i in range(8)]
    for doc in ({"obligations": rows}, [rows, rows[:1]], rows):
        assert dumps(doc) == reference(doc)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=6), st.dictionaries(st.text(max_size=4), leaves, min_size=1, max_size=4))
def test_repeated_records_as_json_dumps(n: int, record: dict) -> None:
    doc = {"rows": [dict(record) for _ in range(n)]}
    assert dumps(doc) == reference(doc)


ODD = "".join(map(chr, range(0x80))) + "\u2028\u2029ё«»\U0001f600"


@pytest.mark.parametrize("value", [ODD, 2**63 - 1, -(2**63), 2**64 - 1, True, None, date(2026, 1, 9),
                                   datetime(2026, 3, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=3)))])
def test_records_orjson_writes_are_json_dumps_bytes(value: object) -> None:
    """The digest's records go through orjson (issue 32 §6): every escape, the ints it takes, days and moments."""
    doc = {"obligations": [{"id": i, "value": value, "to": ODD[i:]} for i in range(3)]}
    assert output._Encoder(list.append).orjson_text(doc["obligations"], 2) is not None  # the orjson path is taken
    assert dumps(doc) == reference(doc)


@pytest.mark.parametrize("value", [1e16, 1e-5, float("nan"), 2**64, -(2**63) - 1, "\ud800"])
def test_records_orjson_would_write_apart_are_left_to_json(value: object) -> None:
    """A float (another exponent form; NaN as null), an int past 64 bits, a lone surrogate: json writes them."""
    doc = {"obligations": [{"id": 1, "value": value}, {"id": 2, "value": value}]}
    if isinstance(value, float):
        assert float in output._records(doc["obligations"])  # the caller never hands floats to orjson
    else:
        assert output._Encoder(list.append).orjson_text(doc["obligations"], 2) is None
    assert dumps(doc) == reference(doc)


def test_records_with_keys_not_text_are_left_to_json() -> None:
    doc = [{1: "a", None: "b"}, {1: "c", None: "d"}]
    assert output._Encoder(list.append).orjson_text(doc, 1) is None
    assert dumps(doc) == reference(doc)
