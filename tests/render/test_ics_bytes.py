"""render/ics.event_bytes writes what icalendar's `Event.to_ical()` writes, byte for byte (property-based)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from sopcli.render.ics import VEvent, event_bytes, fold, ical_event

MSK = ZoneInfo("Europe/Moscow")
# Cyrillic, the TEXT escapes (\ ; , newline), a caret, the ASCII that folds at its own places
TEXT = st.text(alphabet=st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЯ№—«» abcXYZ0129.:;,\\^\n-")),
               max_size=400)


def one(summary: str, description: str, category: str, timed: bool, cancelled: bool, seq: int) -> VEvent:
    stamp = datetime(2026, 11, 29, 9, 13, 48, 123456, tzinfo=UTC)
    start: date | datetime = datetime(2024, 12, 28, 17, 30, tzinfo=MSK) if timed else date(2025, 3, 10)
    return VEvent(uid="obligation-17@70d16d809dd0a1f7775a7664feaeb0f8.sopcli", summary=summary,
                  description=description, category=category, start=start,
                  end=start + (timedelta(minutes=30) if timed else timedelta(days=1)), stamp=stamp,
                  created=stamp - timedelta(days=3), sequence=seq, cancelled=cancelled,
                  alarm=None if cancelled else timedelta(hours=-1 if timed else -15))


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT, TEXT, st.booleans(), st.booleans(), st.integers(0, 10_000))
def test_the_fast_writer_is_icalendar_byte_for_byte(summary, description, category, timed, cancelled, seq):
    e = one(summary, description, category, timed, cancelled, seq)
    assert event_bytes(e) == ical_event(e).to_ical()


def test_folding_keeps_characters_and_escapes_whole():
    line = "DESCRIPTION:" + "ж" * 31 + "\\;" + "я" * 80
    data = fold(line)
    parts = data.split(b"\r\n")
    assert parts[-1] == b"" and all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:-1])
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts[:-1])).decode() == line
    assert not any(p.endswith(b"\\") for p in parts)  # the escape did not straddle a fold
