"""The registry's fixed vocabulary, from the sources; no imports, so every reader can use it."""

CHANNELS = ("phone", "written", "email", "personal", "other")
LEVELS = ("low", "medium", "high", "critical")
OUTCOMES = ("not-confirmed", "departmental", "sop")
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
    "parole": ("release.parole", "условно-досрочное освобождение (решение суда)"),
    "suvu": ("release.suvu", "выпуск из СУВУ закрытого типа"),
    "suvu-early": ("release.suvu-early", "досрочное выбытие из СУВУ закрытого типа"),
}
