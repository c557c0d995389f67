"""The registry's fixed vocabulary, from the sources; no imports, so every reader can use it."""

CHANNELS = ("phone", "written", "email", "personal", "other")
LEVELS = ("low", "medium", "high", "critical")
OUTCOMES = ("not-confirmed", "departmental", "sop")
SUBJECTS = ("family", "minor")

# -- Russian words for the codes: typed in (`pick`) and printed out; JSON keeps the codes -----------
CHANNEL_LABELS = {"phone": "телефон", "written": "письменно", "email": "электронная почта",
                  "personal": "лично", "other": "иное"}
LEVEL_LABELS = {"low": "низкий", "medium": "средний", "high": "высокий", "critical": "критический"}
OUTCOME_LABELS = {"not-confirmed": "не подтвердилось", "departmental": "ведомственный учёт", "sop": "СОП"}
SUBJECT_LABELS = {"family": "семья", "minor": "несовершеннолетний"}
SIGNAL_STATUS_LABELS = {"registered": "зарегистрирован", "checked": "проверен", "attached": "присоединён к делу"}
CASE_STATUS_LABELS = {"open": "открыто", "closed": "закрыто"}
OBLIGATION_STATUS_LABELS = {"open": "открыта", "done": "исполнена", "cancelled": "отменена"}
GROUNDS = {
    # 004 §6.3 — a minor
    "minor": ("age-18", "court-cancelled", "death", "moved", "eliminated", "other"),
    # 004 §6.4 — a family
    "family": ("all-adult", "minors-died", "parents-died", "moved", "improved", "other"),
}
GROUND_LABELS = {
    "age-18": "достижение 18 лет", "court-cancelled": "отмена постановления судом", "death": "смерть",
    "moved": "переезд (смена места жительства)", "eliminated": "устранение обстоятельств",
    "other": "иные основания", "all-adult": "достижение всеми несовершеннолетними 18 лет",
    "minors-died": "смерть несовершеннолетних", "parents-died": "смерть родителей",
    "improved": "улучшение положения в семье",
    "left": "прекращение образовательных отношений",
}

# -- the individual programme (004 App. 4) --------------------------------------------
POTENTIAL = ("high", "medium", "low")  # реабилитационный потенциал
STAGES = ("initial", "main", "final")  # начальный, основной, заключительный этап
REACTIONS = {
    "aggressive": "агрессивный отказ от контакта",
    "passive": "пассивное реагирование, неопределённость",
    "depressed": "подавленность, согласие на всё",
    "calm": "спокойное реагирование",
    "ready": "готовность к сотрудничеству",
    "active": "активное сотрудничество",
}
PATRONAGE = {"emergency": "экстренный", "urgent": "срочный", "periodic": "периодический", "control": "контрольный"}
REPORT_STATUSES = {"done": "выполнено", "partial": "выполнено частично", "not-done": "не выполнено"}
CONTROL_DECISIONS = {
    "continue": "продолжить реализацию программы",
    "correct": "скорректировать программу",
    "close": "внести предложение о прекращении работы",
}
OUTCOMES_APP4 = {"full": "достигнута полная реабилитация", "partial": "восстановление частичное",
                 "none": "положительные результаты отсутствуют"}
RESULTS_APP4 = {
    # результаты положительной реабилитации
    "relations": "оптимизация семейных отношений, преодоление факторов неблагополучия",
    "causes": "устранение причин и условий беспризорности и правонарушений",
    "ties": "восстановление социальных связей, забота родителей, улучшение поведения",
    "other": "другое",
    # результаты без достижения реабилитации
    "refusal": "отказ семьи от сотрудничества, неисполнение родительских обязанностей",
    "age-18": "достижение детьми возраста 18 лет",
    "moved": "переезд",
    "parents-died": "смерть родителей",
    "children-died": "смерть детей",
    "deprivation": "сбор документов на ограничение или лишение родительских прав",
}
RELEASES = {  # `release --kind`: the registry event and what it is
    "colony": ("release.colony", "освобождение из воспитательной колонии"),
    "colony-short": ("release.colony-short", "приговор до 6 месяцев вступил в силу (воспитательная колония)"),
    "parole": ("release.parole", "условно-досрочное освобождение (решение суда)"),
    "suvu": ("release.suvu", "выпуск из СУВУ закрытого типа"),
    "suvu-early": ("release.suvu-early", "досрочное выбытие из СУВУ закрытого типа"),
}

# -- school accounting (003) -------------------------------------------------------------
ZONES = ("red", "yellow", "green")  # high, raised, moderate risk (003 §II); a pupil's zone is the highest
ZONE_LABELS = {"red": "красная", "yellow": "жёлтая", "green": "зелёная"}
SCHOOL_CATEGORIES = {  # "zone.N" → the category of 003 §II
    "red.1": "на профилактическом учёте в ПДН", "red.2": "девиантное, деструктивное поведение, аутоагрессия",
    "red.3": "неформальные объединения антиобщественной направленности",
    "red.4": "освобождённые из учреждений УИС, вернувшиеся из СУВУ закрытого типа",
    "red.5": "сторонники «скулшутинга», «колумбайна»", "red.6": "занимаются «буллингом»",
    "yellow.1": "не посещают или систематически пропускают занятия", "yellow.2а": "безнадзорность, беспризорность",
    "yellow.2б": "бродяжничество, попрошайничество", "yellow.3": "без гражданства, семьи беженцев, переселенцев",
    "yellow.4": "семьи безработных родителей", "yellow.5": "систематически нарушают устав школы",
    "yellow.6": "самовольные уходы из семей", "yellow.7": "в социально-реабилитационных центрах",
    "yellow.8": "подверглись «буллингу»",
    "green.1": "неуспевающие", "green.2": "проживают у близких родственников без опеки",
    "green.3": "проживают с мачехой или отчимом", "green.4": "малообеспеченные семьи", "green.5": "сироты под опекой",
    "green.6": "сироты в замещающих семьях", "green.7": "в государственных учреждениях",
    "green.8": "в приёмных семьях",
}
COUNCIL_DECISIONS = {  # 003 §6.2
    "account": "об учёте и индивидуальной профилактической работе",
    "not-expedient": "о нецелесообразности учёта",
    "control": "о нецелесообразности учёта с контролем классного руководителя",
}
SCHOOL_GROUNDS = {  # 003 §5.1
    "left": "прекращение образовательных отношений (003 §5.1 а)",
    "age-18": "достижение 18 лет (003 §5.1 б)",
    "improved": "устранение причин учёта, положительная динамика (003 §5.1 в)",
}
OBSERVATION_FILE = {  # 003 §4.6: what the observation file holds
    "grounds": "документы — основание учёта", "parents-informed": "сведения об информировании родителей",
    "data": "справка об установочных данных", "curator": "акт о закреплении куратора",
    "living": "акты обследования условий жизни", "characteristics": "характеристики классного руководителя",
    "progress": "сведения о динамике успеваемости", "absences": "сведения о пропусках занятий",
    "work": "сведения об индивидуальной профилактической работе", "plans": "планы и программы работы",
    "diagnostics": "результаты диагностик и тестирования", "reports": "отчёты, служебные записки",
    "leisure": "сведения о воспитательной и досуговой деятельности", "help": "сведения об оказанной помощи",
    "decisions": "сведения о принятых решениях и мерах", "closing": "документы о возможности снятия с учёта",
}


def fold(word: str) -> str:
    """Case and ё/е folded, spaces squeezed: how a typed Russian word is compared with the vocabulary."""
    return " ".join(word.lower().replace("ё", "е").split())


def pick(value: str, words: dict[str, str]) -> str | None:
    """The code for a typed value: the code itself or its Russian word (any case, ё/е), else None."""
    typed = fold(value)
    for code, word in words.items():
        if typed in (fold(code), fold(word)):
            return code
    return None
