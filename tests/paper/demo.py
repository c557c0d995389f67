"""A demo registry built through the real CLI, rich enough that every paper has something to print.

Shared by tests/paper/test_printed.py and scripts/paper_pictures.py: texts long enough to wrap (a
900-character problem, a long address, an agency named in more than 150 characters), a family with
three minors, three agencies' proposals, an approved programme with reports, a control and a closure;
a second case that moves away, an arrival, a family whose names do not decline or are hyphenated
(Черных, Шевченко, Кравец, a double surname) with a woman curator (issue 31), the 002 complex of
measures, and a school registry for the pupils' list.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
COMPLEX = SEEDS / "002_4b7cf8c93ee536d7.txt"

MUNICIPALITY = "г. Йошкар-Ола"
MUNICIPALITY_GENITIVE = "г. Йошкар-Олы"  # «КДН и ЗП г. Йошкар-Олы» on the papers (issue 31 §4)
CHILDREN = [("Сидоров Пётр Ильич", "10.02.2010"), ("Сидорова Мария Ильинична", "21.07.2012"),
            ("Сидоров Константин Ильич", "03.11.2015")]
PARENTS = ["Сидорова Алёна Петровна", "Сидоров Илья Константинович"]
ADDRESS = ("Республика Марий Эл, г. Йошкар-Ола, ул. Красноармейская, д. 118, корп. 2, кв. 47 "
           "(вход со двора, второй подъезд)")
REGISTERED = "Республика Марий Эл, Медведевский район, с. Кузнецово, ул. Школьная, д. 4"
PROBLEM = (
    "Мать, Сидорова Алёна Петровна, не работает с весны, систематически злоупотребляет спиртными напитками; "
    "отец работает вахтовым методом и дома бывает редко. Старший сын пропускает занятия без уважительных "
    "причин, за сентябрь пропущено сорок два урока, классный руководитель не может связаться с родителями. "
    "Младшие дети бывают дома одни до позднего вечера, соседи сообщают о шуме и криках, в квартире нет "
    "продуктов, дети приходят в школу голодными и без сменной одежды. Задолженность за коммунальные услуги "
    "превышает шестьдесят тысяч рублей, в квартире отключена электроэнергия, отопление от обогревателя. "
    "Ежемесячно семья получает пособие, но средства расходуются не на нужды детей; социально-педагогический "
    "патронаж семья не принимает, на приглашения в учреждение не откликается, в течение программы нужна "
    "консультация психолога и нарколога."
)
PDN = "Орган внутренних дел (ПДН)"
SOCIAL = "Орган социальной защиты населения"
EDU = "Орган управления образованием"
CURATOR = "Петрова Анна Викторовна"
# issue 31: an agency's full name of more than 150 characters, as the directory of a republic holds it
LONG_AGENCY = ("Государственное бюджетное учреждение Республики Марий Эл «Комплексный центр социального "
               "обслуживания населения в городе Йошкар-Оле» Министерства труда и социальной защиты Республики Марий Эл")
LONG_MEASURE = ("Консультации психолога и нарколога для матери, социально-педагогический патронаж семьи",
                LONG_AGENCY, "30.06.2025")
# issue 31: a family whose surnames do not decline (Черных, Шевченко, Кравец) or are double, a woman curator
FAMILY3 = [("Черных Алина Сергеевна", "14.02.2013"), ("Шевченко Дмитрий Сергеевич", "09.09.2016"),
           ("Кравец-Черных Ярослава Сергеевна", "30.12.2018")]
PARENTS3 = ["Шевченко-Кравец Оксана Владимировна"]
CURATOR3 = "Кравец Ольга Николаевна"
SCHOOL = "МБОУ «Средняя общеобразовательная школа № 5 г. Йошкар-Олы»"
CLINIC = "ГБУ РМЭ «Детская поликлиника»"
MEASURES = [
    ("Профилактическая беседа с родителями о последствиях неисполнения обязанностей по воспитанию детей",
     PDN, "15.04.2025"),
    ("Оформление ежемесячного пособия на детей и материальной помощи к началу учебного года", SOCIAL,
     "30.04.2025"),
    ("Организация летнего отдыха детей в загородном оздоровительном лагере", EDU, "01.06.2025-31.08.2025"),
]
PUPIL = ("Котов Илья Андреевич", "02.02.2012")

Run = Callable[..., object]


def environment(home: Path) -> dict[str, str]:
    """A private config and cache under `home`, as tests/conftest.py's sop_env gives each test."""
    from tests.conftest import private_env

    return private_env(home)


def cli(env: dict[str, str], db: str) -> Callable[..., dict | str]:
    """`run(*args)`: sopcli on the registry `db` as a process; fails loudly, returns JSON when asked for."""

    def run(*args: str) -> dict | str:
        from tests import forkserver

        code, out, err = forkserver.run(args, {**env, "SOPCLI_DB": db}, timeout=120)
        if code != 0:
            raise RuntimeError(f"sopcli {' '.join(args)}: {err.strip()}")
        return json.loads(out) if "--json" in args else out

    return run


def build(home: Path, *, with_complex: bool = True) -> dict[str, Callable[..., dict | str]]:
    """Build the commission's registry and a school's under `home`; return their CLIs by name."""
    env = environment(home)
    (home / "data").mkdir(parents=True, exist_ok=True)
    sop = cli(env, str(home / "data" / "registry.db"))
    sop("init", "--new", "--rules", "mari-el", "--municipality", MUNICIPALITY)
    # the signals' sources are agencies of the directory (issue 28); «Участковый уполномоченный полиции» is the police
    sop("agency", "add", SCHOOL, "--kind", "образование")
    sop("agency", "add", CLINIC, "--kind", "здравоохранение")
    sop("agency", "add", LONG_AGENCY, "--kind", "соцзащита")

    kids = [a for name, born in CHILDREN for a in ("--child", f"{name}, {born}")]
    parents = [a for name in PARENTS for a in ("--parent", name)]
    sop("signal", "add", "--received", "03.03.2025 11:00", "--source", SCHOOL, *kids, *parents,
        "--address", ADDRESS, "--problem", PROBLEM, "--help-needed",
        "Материальная помощь, устройство детей в лагерь, консультация психолога", "--no-threat")
    sop("check", "1", "--concluded", "05.03.2025", "--level", "high", "--outcome", "sop", "--criterion", "2",
        "--criterion", "5", "--family", "мать, отец, трое детей 9, 12 и 15 лет",
        "--housing", "двухкомнатная квартира, 42 кв. м, санитарное состояние неудовлетворительное",
        "--income", "пособие на детей, заработная плата отца", "--support", "не получают",
        # issue 31 §5: the registered address beside the actual one (App. 8 column 5), an amount with kopecks
        "--address-registered", REGISTERED, "--income-by", "зарплата=21 317,40", "--income-by", "пособия=18500")
    sop("recognize", "1", "--date", "12.03.2025", "--resolution", "9-п", "--curator", CURATOR,
        "--member", PDN, "--member", SOCIAL, "--member", EDU, "--member", LONG_AGENCY)
    sop("plan", "propose", "1", "--agency", PDN, "--date", "14.03.2025", "--situation",
        "Мать не работает, злоупотребляет спиртными напитками", "--tasks", "Профилактика правонарушений",
        "--measure", "Профилактическая беседа с родителями; апрель 2025 года")
    sop("plan", "propose", "1", "--agency", SOCIAL, "--date", "17.03.2025", "--situation",
        "Доход семьи ниже прожиточного минимума", "--tasks", "Материальная поддержка семьи",
        "--measure", "Оформление пособия; в течение месяца")
    sop("plan", "propose", "1", "--agency", LONG_AGENCY, "--date", "18.03.2025", "--situation",
        "Мать злоупотребляет спиртными напитками, от помощи отказывается", "--tasks",
        "Психологическое сопровождение семьи", "--measure", "Консультация психолога; ежемесячно",
        "--measure", "Патронаж семьи; в течение программы")
    for title, who, due in [*MEASURES, LONG_MEASURE]:
        sop("plan", "add", "1", "--measure", title, "--executor", who, "--due", due)
    sop("plan", "edit", "1", "--goal", "Вывести семью из социально опасного положения", "--potential",
        "initial=low,main=medium", "--reaction", "initial=passive", "--patronage", "periodic")
    sop("plan", "approve", "1", "--date", "24.03.2025", "--resolution", "12-п")
    ids = [m["id"] for m in sop("plan", "show", "1", "--json")["measures"]]
    sop("report", "1", str(ids[0]), "--date", "18.04.2025", "--status", "done", "--text",
        "Беседа проведена с матерью и отцом, родители предупреждены об ответственности")
    sop("report", "1", str(ids[1]), "--date", "22.04.2025", "--status", "partial", "--text",
        "Документы на пособие приняты, материальная помощь назначена")
    sop("report", "1", "--date", "30.04.2025", "--text", "Семья идёт на контакт, дети посещают школу")
    sop("control", "1", "--date", "12.09.2025", "--decision", "continue", "--note", "Положительная динамика")
    sop("close", "1", "--date", "10.10.2025", "--resolution", "41-п", "--ground", "improved", "--outcome",
        "partial", "--result", "relations", "--result", "ties")

    sop("signal", "add", "--received", "11.03.2025 09:30", "--source", CLINIC,
        "--child", "Орлов Денис Сергеевич, 14.05.2011", "--parent", "Орлова Вера Николаевна", "--address",
        "г. Йошкар-Ола, ул. Панфилова, д. 7, кв. 3", "--problem", "Ребёнок не наблюдается у врача", "--no-threat")
    sop("check", "2", "--concluded", "13.03.2025", "--level", "medium", "--outcome", "sop")
    sop("recognize", "2", "--date", "19.03.2025", "--resolution", "11-п", "--curator", "Иванова Елена Викторовна")
    sop("plan", "add", "2", "--measure", "Диспансерный осмотр", "--executor", "Орган управления здравоохранением",
        "--due", "30.04.2025")
    sop("plan", "approve", "2", "--date", "26.03.2025", "--resolution", "13-п")
    sop("transfer", "out", "2", "--learned", "01.12.2025", "--to", "г. Казань, ул. Баумана, д. 12",
        "--commission", "КДН и ЗП Вахитовского района г. Казани")
    sop("transfer", "in", "--learned", "02.02.2025 11:00", "--from", "КДН и ЗП г. Чебоксары",
        "--child", "Ленин Олег Ильич, 05.05.2012", "--parent", "Ленина Ольга Петровна")

    # the year before (issue 15: `export stat` charts 2025 against 2024): a signal checked and not confirmed
    sop("signal", "add", "--received", "14.05.2024 10:00", "--source", "Участковый уполномоченный полиции",
        "--child", "Котов Андрей Ильич, 12.12.2012", "--problem", "Ребёнок поздно вечером один на улице",
        "--no-threat")
    sop("check", "4", "--concluded", "16.05.2024", "--level", "low", "--outcome", "not-confirmed")

    kids3 = [a for name, born in FAMILY3 for a in ("--child", f"{name}, {born}")]
    sop("signal", "add", "--received", "17.03.2025 15:20", "--source", LONG_AGENCY, *kids3, "--parent", PARENTS3[0],
        "--address", "г. Йошкар-Ола, ул. Строителей, д. 95, кв. 12", "--problem",
        "Дети часто остаются без присмотра, мать не работает", "--no-threat")
    sop("check", "5", "--concluded", "20.03.2025", "--level", "medium", "--outcome", "sop")
    sop("recognize", "5", "--date", "26.03.2025", "--resolution", "14-п", "--curator", CURATOR3)

    if with_complex and COMPLEX.exists():
        src = home / "complex.txt"
        shutil.copy(COMPLEX, src)
        sop("measures", "import", str(src))

    school = cli(env, str(home / "data" / "school.db"))
    school("init", "--new", "--rules", "school")
    school("signal", "add", "--no-threat", "--received", "30.10.2025 10:00", "--source", "Классный руководитель 7 «Б»",
           "--child", ", ".join(PUPIL), "--problem", "Пропуски уроков, конфликты с одноклассниками")
    school("school", "council", "1", "--date", "05.11.2025", "--decision", "account", "--category", "yellow.1",
           "--category", "red.6", "--curator", "Смирнова Ольга Петровна")
    # 003 §6.1: the pupil is on the school's accounting from the day of the journal entry
    school("deadlines", "done", "--rule", "sc.enter", "--case", "1", "--date", "07.11.2025")
    return {"sop": sop, "school": school}


# every paper: (file name, registry, arguments after `export`/`doc`)
EXPORTS = {
    "journal": ("sop", ["journal", "--year", "2025"]),
    "bank": ("sop", ["bank", "--quarter", "2025Q1"]),
    "stat": ("sop", ["stat", "--year", "2025", "--as-of", "31.12.2025", "--known-now"]),
    # known today, judged on 28.03.2025 (issue 30): after the second programme (26.03), its measure owed then
    "digest": ("sop", ["digest", "--as-of", "28.03.2025", "--known-now", "--within", "60"]),
    "scorecard": ("sop", ["scorecard", "--year", "2025", "--as-of", "31.12.2025", "--known-now"]),
    "conclusion": ("sop", ["conclusion", "--case", "1"]),
    "card": ("sop", ["card", "--case", "1"]),
    "program": ("sop", ["program", "--case", "1"]),
    "proposals": ("sop", ["proposals", "--case", "1"]),
    "measures": ("sop", ["measures", "--year", "2020", "--as-of", "04.12.2020"]),
    "pupils": ("school", ["pupils", "--year", "2025"]),
}
DOCS = {
    "program-letter": ["program-letter", "1"],
    "arrival-request": ["arrival-request", "3"],
    "move-info": ["move-info", "2"],
    "closure-notice": ["closure-notice", "1"],
    "resolution-recognition": ["resolution-recognition", "1"],
    "resolution-closure": ["resolution-closure", "1"],
}

#: papers a command other than `export`/`doc` writes: (file name → arguments after `case`)
CASES = {
    "history": ["history", "1"],
}


def papers(clis: dict[str, Callable[..., dict | str]], out: Path, only: set[str] | None = None) -> list[Path]:
    """Export every XLSX kind, render every .docx and write the case papers into `out`; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (reg, args) in EXPORTS.items():
        if only is None or name in only:
            path = out / f"{name}.xlsx"
            clis[reg]("export", *args, "-o", str(path))
            written.append(path)
    for name, args in DOCS.items():
        if only is None or name in only:
            path = out / f"{name}.docx"
            clis["sop"]("doc", *args, "-o", str(path))
            written.append(path)
    for name, args in CASES.items():
        if only is None or name in only:
            path = out / f"{name}.xlsx"
            clis["sop"]("case", *args, "-o", str(path))
            written.append(path)
    return written
