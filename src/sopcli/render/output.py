"""One JSON document on stdout, messages on stderr (CLI.md)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from itertools import chain
from json import JSONEncoder
from json.encoder import encode_basestring as _quoted  # the C function where `_json` is built (always in CPython)
from typing import Any


def _default(obj: Any) -> Any:
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def emit_json(obj: Any) -> None:
    """The document written as it is encoded: the national digest's 12 MB never held whole (issue 17)."""
    _Encoder(sys.stdout.write).value(obj, 0)
    sys.stdout.write("\n")


def dumps(obj: Any) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=2, default=_default)`, byte for byte, two to three times faster.

    Why not json.dumps: with `indent` the standard library leaves its C encoder for the pure-Python
    one, which yields every bracket, key and value as a piece of its own; the national digest's
    `--json` (24,000 obligations, 12 MB) spent most of its second there (issue 17). Here a container
    of leaves only (an obligation), or a list of such dicts (the digest's obligations), goes to the C
    encoder in one call, its item separator carrying the newline and the indent of its depth; only
    the containers around it are walked in Python. tests/render/test_json_dumps.py holds it to
    json.dumps on generated documents.
    """
    out: list[str] = []
    _Encoder(out.append).value(obj, 0)
    return "".join(out)


def _float(o: float) -> str:
    """As json's `floatstr` with allow_nan: NaN and the infinities as JavaScript spells them."""
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


#: Leaves the C encoder writes exactly as the walk below (dates through `_default`, into text); a subclass is not
#: among them (its type is not one of these), so it takes the walk, as json's own tests order it.
_LEAVES = frozenset({str, int, float, bool, type(None), date, datetime})


def _records(items: list[Any] | tuple[Any, ...]) -> set[type] | None:
    """The kinds of value in `items` when each is a non-empty dict of leaves only (one line per item at one
    depth, whatever its strings hold); else None. One pass in C over every value: the digest's 24,000
    records were a call each."""
    if set(map(type, items)) != {dict} or not all(items):
        return None
    kinds = set(map(type, chain.from_iterable(map(dict.values, items))))
    return kinds if kinds <= _LEAVES else None


_DATES = frozenset({date, datetime})


def _same_keys(items: list[Any] | tuple[Any, ...]) -> tuple[str, ...] | None:
    """The keys every record has, in the same order, when they are all text (as the digest's); else None."""
    first = tuple(items[0])
    if not all(type(k) is str for k in first) or not all(map(first.__eq__, map(tuple, items))):
        return None
    return first


#: Records encoded in one C call: about 1 MB of text for the digest's obligations.
_SLICE = 2000


def _pad(level: int) -> str:
    return "  " * level


class _Encoder:
    """The walk of json's `_make_iterencode` (indent 2, separators "," and ": "), appending to one list."""

    def __init__(self, emit: Callable[[str], Any]) -> None:
        self.emit = emit
        self.keys: dict[Any, str] = {}
        self.seen: set[int] = set()  # json's check_circular: a container inside itself is refused, not looped
        self.flat: dict[str, JSONEncoder] = {}  # by item separator
        self.dates: dict[int, Any] = {}

    def default(self, o: Any) -> Any:
        """`_default`, once per object: a digest's rows share their days and moments (reads.LocalTime).

        Keyed by identity, not equality (equal moments in two zones are written apart): the document
        holds every object until the end, so no id is reused meanwhile.
        """
        found = self.dates.get(id(o))
        if found is None:
            found = self.dates[id(o)] = _default(o)
        return found

    def c_encoder(self, level: int, sep: str | None = None) -> JSONEncoder:
        """json's C encoder writing the items of a container at `level` one to a line (or parted by `sep`).

        Without `indent` json keeps its C encoder; the item separator brings the new line and its indent. A raw
        new line never occurs inside JSON text (a string escapes it), so every one in its output is a separator.
        """
        item = ",\n" + _pad(level) if sep is None else sep
        enc = self.flat.get(item)
        if enc is None:
            enc = self.flat[item] = JSONEncoder(ensure_ascii=False, check_circular=False, default=self.default,
                                                separators=(item, ": "))
        return enc

    def flat_text(self, o: Any, level: int) -> None:
        """`{a, b}` as the C encoder writes it, opened and closed on lines of their own as the indent puts them."""
        text = self.c_encoder(level).encode(o)
        self.emit(text[0] + "\n" + _pad(level) + text[1:-1] + "\n" + _pad(level - 1) + text[-1])

    def records_text(self, items: list[Any] | tuple[Any, ...], level: int, floats: bool) -> None:
        """A list of records (`_records`) at `level`, a slice at a time: by orjson unless a value is a float (or
        orjson refuses one), else by one C call of json's. Slices keep each text about 1 MB."""
        pad, inner = _pad(level), _pad(level + 1)
        between = f"\n{pad}}},\n{pad}{{\n{inner}"
        keys = _same_keys(items)
        body = None if keys is None else f",\n{inner}".join(_quoted(k).replace("%", "%%") + ": %s" for k in keys)
        for start in range(0, len(items), _SLICE):
            part = items[start:start + _SLICE]
            self.emit("," if start else "[")
            text = None if floats else self.orjson_text(part, level)
            if text is None:
                self.emit(f"\n{pad}{{\n{inner}")
                if body is not None:
                    self.emit(between.join([body] * len(part)) % tuple(self.values_text(part)))
                else:
                    sep = ",\n" + inner
                    text = self.c_encoder(level + 1).encode(part)  # `[{…}, …, {…}]`
                    self.emit(text[2:-2].replace("}" + sep + "{", between))
                self.emit(f"\n{pad}}}")
            else:
                self.emit(text)
        self.emit(f"\n{_pad(level - 1)}]")

    def orjson_text(self, records: list[Any] | tuple[Any, ...], level: int) -> str | None:
        """The records as json writes them at `level` (`\n{pad}{…\n{pad}}`), by orjson; None where it would differ.

        Why orjson: json's C encoder needs every value of the digest's 24,000 records gathered into one list
        in Python first, which was a quarter of `deadlines --json` (issue 32 §6); orjson walks them in C, five
        times faster. It writes what json writes (indent 2, "," and ": ", UTF-8 unescaped, the same escapes)
        except a float (another exponent form, NaN as null): the caller leaves those to json. Days and
        moments go through `default` (passed through), and what orjson refuses (an int past 64 bits, a key
        not text, a lone surrogate) is left to json too, which writes or refuses it as ever.
        tests/render/test_json_dumps.py holds both to json.dumps."""
        import orjson

        try:
            text = orjson.dumps(records, default=self.default,
                                option=orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME).decode()
        except TypeError:  # orjson.JSONEncodeError
            return None
        return text[1:-2].replace("\n", "\n" + _pad(level - 1))  # `[` and `\n]` off; each line moved in

    def values_text(self, records: list[Any] | tuple[Any, ...]) -> list[str]:
        """The JSON text of every value of `records` (leaves), in order, by one C call over them all.

        Records with the same keys (the digest's 24,000 obligations) are written by one template, their keys
        put in by `%`: the C encoder need not write each key again in each record, nor call back into Python
        for each day and moment (turned into text here, once per object). A raw NUL never occurs inside JSON
        text (a string escapes it), so it parts the values safely."""
        default = self.default
        flat = [default(v) if v.__class__ in _DATES else v for d in records for v in d.values()]
        return self.c_encoder(0, "\0").encode(flat)[1:-1].split("\0")

    def scalar(self, o: Any) -> str | None:
        """The text of a leaf, in json's order of tests (a str or int subclass is its base); None: not a leaf."""
        if isinstance(o, str):
            return _quoted(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            return _float(o)
        return None

    def value(self, o: Any, level: int) -> None:
        text = _quoted(o) if type(o) is str else self.scalar(o)
        if text is not None:
            self.emit(text)
        elif isinstance(o, (list, tuple)):
            self.array(o, level)
        elif isinstance(o, dict):
            self.mapping(o, level)
        else:
            self.enter(o)
            self.value(self.default(o), level)
            self.seen.discard(id(o))

    def enter(self, o: Any) -> None:
        if id(o) in self.seen:
            raise ValueError("Circular reference detected")
        self.seen.add(id(o))

    def array(self, items: list[Any] | tuple[Any, ...], level: int) -> None:
        if not items:
            self.emit("[]")
            return
        level += 1
        if set(map(type, items)) <= _LEAVES:
            self.flat_text(items, level)
            return
        kinds = _records(items)
        if kinds is not None:
            self.records_text(items, level, float in kinds)
            return
        self.enter(items)
        newline = "\n" + _pad(level)
        emit, sep = self.emit, "[" + newline
        for item in items:
            text = _quoted(item) if type(item) is str else self.scalar(item)
            if text is not None:
                emit(sep + text)
            else:
                emit(sep)
                self.value(item, level)
            sep = "," + newline
        emit("\n" + _pad(level - 1) + "]")
        self.seen.discard(id(items))

    def mapping(self, d: dict[Any, Any], level: int) -> None:
        if not d:
            self.emit("{}")
            return
        level += 1
        if set(map(type, d.values())) <= _LEAVES:
            self.flat_text(d, level)
            return
        self.enter(d)
        newline = "\n" + _pad(level)
        emit, keys, sep = self.emit, self.keys, "{" + newline
        for key, item in d.items():
            shown = keys.get(key) if type(key) is str else None
            if shown is None:
                shown = self.key(key)
            text = _quoted(item) if type(item) is str else self.scalar(item)
            if text is not None:
                emit(sep + shown + text)
            else:
                emit(sep + shown)
                self.value(item, level)
            sep = "," + newline
        emit("\n" + _pad(level - 1) + "}")
        self.seen.discard(id(d))

    def key(self, key: Any) -> str:
        """A key as json writes it: a string, or a float, bool, None or int turned into one; anything else refused."""
        if isinstance(key, str):
            text = key
        elif isinstance(key, float):
            text = _float(key)
        elif key is True or key is False or key is None:
            text = {True: "true", False: "false", None: "null"}[key]
        elif isinstance(key, int):
            text = int.__repr__(key)
        else:
            raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
        shown = _quoted(text) + ": "
        if type(key) is str:
            self.keys[key] = shown
        return shown


def console() -> Any:
    """A rich console; imported here so commands that print plain text skip it."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def lateness(o: dict[str, Any]) -> str:
    """How late a fulfilment was, the way a report says it: ", в срок", ", с опозданием на 3 раб. дн.".

    An immediate notice is kept to the minute, so its lateness is told in hours; a term in
    days is told in working days (what the scorecard counts). A fulfilment late only by days
    off (due Friday, done Sunday) is late by the calendar but by no working day: said so.
    The phrase ends as its words end, so a caller never adds a full stop after "дн.".
    """
    if not o.get("late"):
        return ", в срок"
    if isinstance(o.get("due"), datetime) and o.get("fulfilled_at") is not None:
        hours = (o["fulfilled_at"] - o["due"]).total_seconds() / 3600
        shown = f"{round(hours, 1):g}".replace(".", ",")  # 40,5 ч.: a Russian decimal comma
        return f", с опозданием на {shown} ч." if hours >= 1 else ", с опозданием менее чем на час"
    days = o.get("late_working_days") or 0
    return f", с опозданием на {days} раб. дн." if days else ", с опозданием (на нерабочие дни)"


def settled(o: dict[str, Any]) -> str:
    """An obligation's state in words: open (and overdue), fulfilled when and how late, cancelled why."""
    if o["status"] == "fulfilled":
        when = f" {o['fulfilled_at']:%d.%m.%Y}" if o.get("fulfilled_at") else ""
        return f"исполнена{when}{lateness(o)}"
    if o["status"] == "cancelled":
        return "отменена" + (f": {o['cancel_reason']}" if o.get("cancel_reason") else "")
    return "открыта, ПРОСРОЧЕНА" if o.get("overdue") else "открыта"


def full_stop(text: str) -> str:
    """One full stop at the end of a sentence, never two after an abbreviation ("раб. дн.")."""
    return text if text.endswith(".") else text + "."


def size_words(size: int) -> str:
    """A file's size as a person reads it: «840 байт», «12 КБ», «3,4 МБ», «1,2 ГБ» (never «0.0 МБ»)."""
    if size < 1024:
        return f"{size} байт"
    for unit, scale in (("ГБ", 2**30), ("МБ", 2**20), ("КБ", 2**10)):
        if size >= scale:
            value = size / scale
            shown = f"{value:.1f}".replace(".", ",") if value < 10 else f"{value:.0f}"
            return f"{shown.removesuffix(',0')} {unit}"
    return f"{size} байт"  # pragma: no cover - every size ≥ 1024 has a unit above
