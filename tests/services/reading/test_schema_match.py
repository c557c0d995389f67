"""The read path's literal schema (services/reading/schema.py) against the models, column by column.

The reads stay free of SQLAlchemy, so their column lists and conversions are written out;
these tests are what keeps them the models' own. A column the models drop, rename or
retype, and a new date, moment or flag in any table, fails here before a digest prints
a date as text on SQLite only.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Boolean, Date, DateTime
from sqlmodel import SQLModel

import sopcli.models  # noqa: F401 - registers every table in the metadata
from sopcli.services.reading import schema

TABLES = SQLModel.metadata.tables
EXPECTED = {"date": schema.day, "moment": schema.moment, "bool": bool, "plain": None}


def _kind(col: Any) -> str:
    """What the converter must do for a column, by its SQLAlchemy type (a TypeDecorator by what it stores)."""
    t = getattr(col.type, "impl", col.type)
    if isinstance(t, DateTime):
        assert t.timezone, f"{col.table.name}.{col.name}: a naive DateTime, the reader assumes UTC moments"
        return "moment"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Boolean):
        return "bool"
    return "plain"


LISTED = [(table, name.strip()) for table, lists in schema.READ_COLUMNS.items()
          for cols in lists for name in cols.split(",")]
TYPED = [(t.name, c.name) for t in TABLES.values() for c in t.columns if _kind(c) != "plain"]


@pytest.mark.parametrize(("table", "column"), LISTED, ids=[f"{t}.{c}" for t, c in LISTED])
def test_every_listed_column_exists_with_the_type_its_conversion_assumes(table, column):
    assert column in TABLES[table].c, f"{table}.{column} is read but not in the model"
    assert schema.converter(column) is EXPECTED[_kind(TABLES[table].c[column])]


@pytest.mark.parametrize(("table", "column"), TYPED, ids=[f"{t}.{c}" for t, c in TYPED])
def test_every_date_moment_and_flag_of_every_table_is_converted(table, column):
    """Conversion is by name: reconciliation.done_on is read as a date because it is a Date, not by luck."""
    assert schema.converter(column) is EXPECTED[_kind(TABLES[table].c[column])]


def test_reconciliation_done_on_is_read_as_a_date():
    assert ("reconciliation", "done_on") in TYPED
    assert schema.converter("done_on") is schema.day


def test_a_converted_name_means_one_kind_in_every_table_and_names_a_real_column():
    """A name that were a date in one table and text in another would be mis-read in one of them."""
    kinds: dict[str, set[str]] = {}
    for t in TABLES.values():
        for c in t.columns:
            kinds.setdefault(c.name, set()).add(_kind(c))
    for names, kind in ((schema.DATES, "date"), (schema.MOMENTS, "moment"), (schema.BOOLS, "bool")):
        for name in names:
            assert kinds.get(name) == {kind}, f"{name}: {kind} in the reader, {kinds.get(name)} in the models"


def test_the_list_columns_are_distinct_and_in_the_order_they_are_written():
    for table, lists in schema.READ_COLUMNS.items():
        for cols in lists:
            names = [n.strip() for n in cols.split(",")]
            assert len(names) == len(set(names)), (table, cols)
            assert cols == ", ".join(names)  # the SELECT text (and so the JSON key order) is the list as written
