"""`export KIND --anonymize`: statistics that leave the commission without personal data (152-ФЗ).

152-ФЗ ст. 3 п. 9: data are depersonalised when they cannot be attributed to a
person without additional information. The methods are the classic ones
(Роскомнадзор's list: identifiers in place of names, generalisation,
removal):

- a name and a case or journal number become a pseudonym,
  HMAC-SHA-256(key, "person:<id>") in base32. The key is 32 random bytes
  made once and kept in the registry, so a child keeps the same pseudonym in
  every quarter's export — the regional commission can follow a case over
  time — while outside the registry the pseudonym means nothing: without the
  key it cannot be recomputed from a name, as a plain hash of «Иванов Иван,
  2010» could be by trying names. A file of one commission has one key
  (`registry_setting`); on a shared registry each commission exports with its
  own (`pseudonym_key`, 0011), readable by its role alone, so two commissions'
  exports cannot be linked, and the region's consolidated bank with the
  registry's key, the region's (`export_key`);
- a birth date becomes the birth year;
- the address and every free text (problem, notes, measure titles) are
  removed: a free text may carry names, and a street identifies a family in
  a small municipality; so are the forms' personal fields of 0010 (`BLANKED`:
  occupation, addresses, assignments);
- kinds without persons (stat, scorecard) keep their figures, but a count of
  1 or 2 is shown as «<3» — the usual threshold rule of statistical
  disclosure control: in a district of a few thousand children "1 child
  removed for conviction" names him. Where a total and all its parts are
  shown, a second part is suppressed too, so the hidden one cannot be got by
  subtraction.

Per-case documents (card, conclusion, program, proposals) describe one family
and are refused: there is nothing statistical left once they are depersonalised.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date
from typing import Any

from sopcli.errors import InvalidInput

KEY_SETTING = "pseudonym_key"
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
SMALL = "<3"
MARK = " (обезличено)"
NOTE = ("Обезличено (152-ФЗ, ст. 3 п. 9): ФИО и номера заменены псевдонимами, постоянными в пределах реестра "
        "(Л — лицо, Д — дело, С — сигнал); дата рождения — год; адрес и текстовые поля удалены; "
        "значения 1–2 показаны как «<3».")


# 0010: the forms' personal fields, blank in every anonymised export. A place of work or a school
# («ООО «Ромашка», продавец», «школа № 5, 7 «Б»») names a family in a small municipality as surely as
# its street; the assignments' text carries a clinic's plot and a phone. The bank's columns 4 and 6
# (App. 8: the parents' place of work, the minor's school or work) print `blank("occupation", …)`.
BLANKED = frozenset({"occupation", "extra_education", "address_registered", "address_actual", "assignment",
                     "registration_reason", "nonexec_reasons", "proposals_note"})


def blank(field: str, value: Any, anon: Pseudonyms | None) -> Any:
    """The value, or "" when the export is anonymised and the field is personal (BLANKED)."""
    if field not in BLANKED:
        raise ValueError(f"not a personal field of 0010: {field}")  # a typo must not leak a field silently
    return "" if anon is not None else value


def refuse_per_case(kind: str) -> None:
    """A per-case form describes one family: the statistical kinds (`anonymizable` in EXPORTS) are offered."""
    from sopcli.services.papers.export_kinds import EXPORTS

    offered = sorted(code for code, k in EXPORTS.items() if k.anonymizable)
    raise InvalidInput(f"Выгрузка «{kind}» — сведения об одной семье: обезличить её нельзя. "
                       f"Для статистики: {', '.join(offered)} с --anonymize.")


def mark(sheet: Any, anon: Pseudonyms | None) -> Any:
    """An anonymised sheet says so in its title row and explains how under the table."""
    if anon is not None:
        sheet.title += MARK
        sheet.notes.append(NOTE)
    return sheet


def new_key() -> str:
    return secrets.token_hex(32)


def ensure_key(session: Any, reg: Any) -> bool:
    """Make the registry's pseudonym key once (init, or the first anonymised export); True if made now."""
    from sopcli.models import RegistrySetting
    from sopcli.services.trust import audit

    if session.get(RegistrySetting, KEY_SETTING) is not None:
        return False
    session.add(RegistrySetting(key=KEY_SETTING, value=new_key()))
    audit.record(session, reg, "create", "registry_setting", None, key=KEY_SETTING)  # never the value
    return True


def made_key(session: Any, reg: Any) -> str:
    """The registry's key, made now if it has none (an anonymised export from a registry older than it)."""
    from sopcli.models import RegistrySetting

    ensure_key(session, reg)
    return session.get(RegistrySetting, KEY_SETTING).value


def export_key(r: Any) -> str:
    """The key of this reader's anonymised export: a commission's role (or the owner acting for it) its own
    commission's; the region's role, the owner reading the whole bank and a single commission's file the
    registry's ("" when it has none yet: `made_key`). A commission's role cannot write, so its key is made
    with the commission (`admin commission add`, migration 0011), never here."""
    from sopcli.tenancy import acting

    who = acting(r.conn, r.pg)
    if not who.scoped or who.region:
        return r.settings.get(KEY_SETTING, "")
    # row-level security shows a commission's role its own row only; the WHERE says which one we mean
    found = r.rows("SELECT key FROM pseudonym_key WHERE commission = ?", [who.commission])
    if not found:
        raise InvalidInput(f"У комиссии «{who.commission}» нет ключа псевдонимов: его создаёт владелец "
                           "реестра (`sopcli init`).")
    return found[0]["key"]


class Pseudonyms:
    """Stable, keyed pseudonyms: Л- a person, Д- a case, С- a journal entry (signal)."""

    def __init__(self, key_hex: str) -> None:
        if not key_hex:
            raise InvalidInput("В реестре нет ключа псевдонимов: выполните `sopcli init`.")
        self._key = bytes.fromhex(key_hex)

    def _code(self, what: str, ident: Any) -> str:
        digest = hmac.digest(self._key, f"{what}:{ident}".encode(), "sha256")
        # 50 bits in the base32 alphabet (no collision in a registry's lifetime); by hand, because
        # base64.b32encode costs ~60 µs a call: 2.5 s of a 20,000-case bank
        n = int.from_bytes(digest[:7]) >> 6
        return "".join(_B32[(n >> shift) & 31] for shift in range(45, -5, -5))

    def person(self, ident: int) -> str:
        return f"Л-{self._code('person', ident)}"

    def case(self, ident: int) -> str:
        return f"Д-{self._code('case', ident)}"

    def signal(self, ident: int) -> str:
        return f"С-{self._code('signal', ident)}"

    def child(self, p: dict[str, Any]) -> str:
        born: date | None = p["birth_date"]
        return f"{self.person(p['id'])}, {born.year} г. р." if born else self.person(p["id"])


def small(value: Any) -> Any:
    """The threshold rule: a count of 1 or 2 becomes «<3»; 0 and ≥ 3 stay."""
    return SMALL if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 3 else value


def suppress_group(total: Any, parts: list[Any]) -> list[Any]:
    """Parts that add up to a shown total: if only one is hidden, hide the next smallest too.

    Otherwise total − the shown parts = the hidden one (complementary suppression)."""
    shown = [small(v) for v in parts]
    hidden = [i for i, v in enumerate(shown) if v == SMALL]
    if len(hidden) == 1 and small(total) != SMALL:
        rest = [i for i, v in enumerate(parts) if i not in hidden and isinstance(v, int) and v > 0]
        if rest:
            shown[min(rest, key=lambda i: (parts[i], i))] = SMALL
    return shown


def actors(r: Any) -> set[str]:
    """Who may be named in an anonymised digest or scorecard: the directory's agencies, the rulebook's roles
    and the executors of the complexes. Anyone else is a signal's source as typed ("соседка Иванова")."""
    from sopcli.deadlines.rulebook import rulebook_with

    roles = {rule.who for rule in rulebook_with(r.settings.get("rulebook", "")).rules}  # a region's file's too
    known = {a["name"] for a in r.rows("SELECT name FROM agency")} | roles
    # the owners bound when their terms opened (issue 28): the directory's agencies and the commission itself
    known |= {o["who"] for o in r.rows("SELECT DISTINCT who FROM obligation WHERE owner_kind IN ('agency', "
                                       "'commission')")}
    for m in r.rows("SELECT executors FROM complex_measure"):
        known |= {line.strip()[:300] for line in m["executors"].splitlines() if line.strip()}
    return known


def actor(who: str, known: set[str]) -> str:
    from sopcli.services.steps.obligations import DETECTING

    if who.startswith("куратор: "):  # a curator is an official, but an anonymised paper names the role only
        return "куратор"
    return who if who in known else DETECTING


def merge_actors(per_agency: list[dict[str, Any]], known: set[str]) -> list[dict[str, Any]]:
    """The scorecard with unknown actors folded into «выявивший орган»; a merged row has no median."""
    out: dict[str, dict[str, Any]] = {}
    for a in per_agency:
        who = actor(a["who"], known)
        row = out.get(who)
        if row is None:
            out[who] = {**a, "who": who}
            continue
        for key in ("due", "on_time", "late", "lapsed", "overdue", "pending"):
            row[key] += a[key]
        row["median_late_working_days"] = None  # medians do not add up
    return list(out.values())
