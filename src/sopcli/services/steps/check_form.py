"""The check's App. 2 fields (0010): addresses, the housing checklist, the income by kind.

App. 2 draws these as a checklist and a table, not as free text, so they are
stored as codes and numbers: the form prints the seed's words, a script gets the
codes. They may be typed with the check (`check ID --address-actual …`) or filled
in later (`check ID --amend …`): a secretary often learns the income or the area
of the flat only after the conclusion was signed. The amendment touches only the
fields given and is audited with the old and new values; the level, the outcome
and the date of the conclusion stay as they were recorded (they opened terms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sopcli.errors import InvalidInput, StepNotAllowed
from sopcli.services.directory.names import one_line
from sopcli.vocab import HOUSING_KINDS, HOUSING_STATES, INCOME_KINDS, LIVING, SANITARY, code_for

if TYPE_CHECKING:
    from sqlmodel import Session

    from sopcli.models import Check
    from sopcli.services.registry import Registry

ADDRESS_LIMIT = 500
AREA_MAX = Decimal("10000")  # кв. м: more is a typo, not a family's home
INCOME_MAX = Decimal(100_000_000)  # roubles a month: more is a typo
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")


@dataclass
class CheckForm:
    """What was typed for App. 2; None (or empty) = not given, left as it is."""

    address_registered: str | None = None
    address_actual: str | None = None
    housing_kind: str | None = None
    area: str | None = None
    housing_state: str | None = None
    sanitary: str | None = None
    living: list[str] = field(default_factory=list)
    income_by: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not any(v not in (None, [], "") for v in vars(self).values())


def parse_area(text: str) -> Decimal:
    """«42,5» and «42.5» (кв. м, one decimal at most, as the form prints it); nonsense is refused."""
    raw = _SPACES.sub("", text).replace(",", ".").removesuffix("кв.м").removesuffix("м2")
    if not re.fullmatch(r"\d{1,5}(\.\d)?", raw):
        raise InvalidInput("Площадь жилья (--area) — число квадратных метров, не более одного знака после "
                           "запятой: например, 42,5.")
    area = Decimal(raw)
    if area <= 0 or area > AREA_MAX:
        raise InvalidInput(f"Площадь жилья (--area): от 0,1 до {AREA_MAX} кв. м.")
    return area


def parse_amount(text: str, kind: str) -> Decimal:
    """Roubles and kopecks as a family states them: «25 000», «21 317,40», «21317.40» — spaces group the
    thousands, a comma or a dot starts the kopecks; negative, more than two decimals, or not a number refused."""
    raw = _SPACES.sub("", text).removesuffix("руб.").removesuffix("руб").removesuffix("р.").replace(",", ".")
    if not raw.isascii() or not re.fullmatch(r"\d+(\.\d{1,2})?", raw):
        raise InvalidInput(f"Доход «{INCOME_KINDS[kind]}»: сумма — рубли и копейки не меньше нуля "
                           "(например, 25 000 или 21 317,40).")
    amount = Decimal(raw)
    if amount > INCOME_MAX:
        raise InvalidInput(f"Доход «{INCOME_KINDS[kind]}»: сумма больше {INCOME_MAX:,} руб. — проверьте."
                           .replace(",", " "))
    return amount


def income_of(get: Any, kind: str) -> Decimal | None:
    """An amount as stored: the roubles (0010) and the kopecks beside them (0015); None if not given."""
    roubles = get(f"income_{kind}")
    if roubles is None:
        return None
    return Decimal(int(roubles)) + Decimal(int(get(f"income_{kind}_kop") or 0)) / 100


def money(amount: Decimal | int | None, space: str = "\u00a0") -> str:
    """«18 500», «21 317,40»: the thousands grouped (on paper by a no-break space, the amount never split
    over two lines), the kopecks after a comma when there are any; empty for none."""
    if amount is None:
        return ""
    q = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = divmod(int(q * 100), 100)
    grouped = f"{whole:,}".replace(",", space)
    return f"{grouped},{cents:02d}" if cents else grouped


def _json_amount(amount: Decimal) -> int | float:
    """JSON's number for an amount: an integer for whole roubles (as before 0015), else roubles.kopecks."""
    return int(amount) if amount == int(amount) else float(amount)


def parse_income(items: list[str]) -> dict[str, Decimal]:
    """`--income-by ВИД=СУММА`, repeated: the kind as a Russian word or code, each kind once."""
    out: dict[str, Decimal] = {}
    for item in items:
        kind, sep, amount = item.partition("=")
        if not sep:
            raise InvalidInput("Доход по видам (--income-by) пишется как ВИД=СУММА: например, пенсия=12000.")
        code = code_for(kind, INCOME_KINDS, "вида дохода", "income")
        if code in out:
            raise InvalidInput(f"Доход «{INCOME_KINDS[code]}» указан дважды (--income-by).")
        out[code] = parse_amount(amount, code)
    return out


def _validated(form: CheckForm) -> dict[str, Any]:
    """The typed values as the columns store them; every refusal comes before anything is written."""
    cols: dict[str, Any] = {}
    for name, what in (("address_registered", "адрес по прописке"), ("address_actual", "адрес фактический")):
        value = getattr(form, name)
        if value is not None and value.strip():
            cols[name] = one_line(value, what, ADDRESS_LIMIT, "--" + name.replace("_", "-"))
    if form.housing_kind:
        cols["housing_kind"] = code_for(form.housing_kind, HOUSING_KINDS, "вида жилья", "housing")
    if form.area:
        cols["housing_area"] = parse_area(form.area)
    if form.housing_state:
        cols["housing_state"] = code_for(form.housing_state, HOUSING_STATES, "состояния жилья", "housing-state")
    if form.sanitary:
        cols["sanitary"] = code_for(form.sanitary, SANITARY, "санитарного состояния")
    if form.living:
        codes = [code_for(v, LIVING, "условий жизни несовершеннолетних", "living") for v in form.living]
        cols["living"] = ",".join(c for c in LIVING if c in codes)  # the seed's order
    for kind, amount in parse_income(form.income_by).items():
        roubles, kopecks = divmod(int(amount * 100), 100)
        cols[f"income_{kind}"], cols[f"income_{kind}_kop"] = roubles, kopecks or None
    return cols


def fill(chk: Check, form: CheckForm) -> dict[str, Any]:
    """Writes the given fields on the conclusion; returns {column: (old, new)} of what changed."""
    changed = {}
    for name, value in _validated(form).items():
        old = getattr(chk, name)
        if old != value:
            changed[name] = (old, value)
            setattr(chk, name, value)
    return changed


def check_json(chk: Any) -> dict[str, Any]:
    """The App. 2 fields with their codes (JSON); `chk` is a Check or a row mapping of check_conclusion."""
    get = chk.get if isinstance(chk, dict) else (lambda k: getattr(chk, k))
    area = get("housing_area")
    return {
        "address_registered": get("address_registered") or "", "address_actual": get("address_actual") or "",
        "housing_kind": get("housing_kind") or "",
        "housing_area": str(Decimal(str(area))) if area is not None else None,
        "housing_state": get("housing_state") or "", "sanitary": get("sanitary") or "",
        "living": [c for c in (get("living") or "").split(",") if c],
        "income": {k: _json_amount(v) for k in INCOME_KINDS if (v := income_of(get, k)) is not None},
    }


def amend_check(session: Session, reg: Registry, signal_id: int, form: CheckForm,
                texts: dict[str, str]) -> tuple[Check, dict[str, Any]]:
    """`check ID --amend`: fills App. 2 fields of a recorded conclusion; refused when there is none."""
    from sqlmodel import select

    from sopcli.models import Check
    from sopcli.services.steps.common import TEXT_LIMIT, get_signal
    from sopcli.services.trust import audit

    sig = get_signal(session, signal_id)
    chk = session.exec(select(Check).where(Check.signal_id == sig.id).with_for_update()).first()
    if chk is None:
        raise StepNotAllowed(f"По сигналу №{signal_id} заключения проверки ещё нет: сначала sopcli check "
                             f"{signal_id} --concluded … --level … --outcome ….")
    given = {k: v for k, v in texts.items() if v.strip()}
    if form.empty() and not given:
        raise InvalidInput("Нечего изменить: укажите поля заключения (--address-actual, --housing-kind, --area, "
                           "--income-by …; см. --help).")
    if any(len(v) > TEXT_LIMIT for v in given.values()):
        raise InvalidInput(f"Слишком длинно: текст заключения — не более {TEXT_LIMIT} знаков в поле.")
    changed = fill(chk, form)
    for name, value in given.items():
        if getattr(chk, name) != value:
            changed[name] = (getattr(chk, name), value)
            setattr(chk, name, value)
    session.add(chk)
    session.flush()
    audit.record(session, reg, "update", "check", chk.id, signal=sig.id,
                 **{k: {"было": old, "стало": new} for k, (old, new) in changed.items()})
    return chk, changed



def read_form(r: Any, signal_id: int) -> dict[str, Any] | None:
    """The App. 2 fields of a signal's conclusion (`signal show`), None before the check."""
    cols = ", ".join(["address_registered", "address_actual", "housing_kind", "housing_area", "housing_state",
                      "sanitary", "living", *(f"income_{k}{kop}" for k in INCOME_KINDS for kop in ("", "_kop"))])
    found = r.rows(f"SELECT {cols} FROM check_conclusion WHERE signal_id = ?", [signal_id])
    return check_json(found[0]) if found else None


def form_lines(form: dict[str, Any]) -> list[str]:
    """The App. 2 fields in the seed's words, only those recorded."""
    from sopcli.vocab import label_of

    lines = [f"{what}: {form[k]}" for k, what in (("address_registered", "адрес по прописке"),
                                                 ("address_actual", "адрес фактический")) if form[k]]
    housing = [label_of(form["housing_kind"], HOUSING_KINDS) if form["housing_kind"] else "",
               f"{form['housing_area'].replace('.', ',')} кв. м" if form["housing_area"] else "",
               label_of(form["housing_state"], HOUSING_STATES) if form["housing_state"] else "",
               f"санитарное состояние {label_of(form['sanitary'], SANITARY)}" if form["sanitary"] else ""]
    if any(housing):
        lines.append("жильё: " + ", ".join(h for h in housing if h))
    if form["living"]:
        lines.append("условия жизни несовершеннолетних: " + ", ".join(label_of(c, LIVING) for c in form["living"]))
    if form["income"]:
        lines.append("доход: " + "; ".join(f"{INCOME_KINDS[k].lower()} {money(Decimal(str(v)), ' ')} руб."
                                          for k, v in form["income"].items()))
    return lines
