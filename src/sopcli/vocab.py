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
# App. 4 «Проведение … мероприятий»: an executor's report in the seed's words («Дата исполнения», «неисполнения»)
REPORT_STATUSES_APP4 = {"done": "исполнено", "partial": "исполнено частично", "not-done": "не исполнено"}
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


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a Russian noun after the number n: 1 дело, 2 дела, 5 дел."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


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


# -- the words a secretary types for the codes above (`code_for`), and the ones printed back -------
POTENTIAL_LABELS = {"high": "высокий", "medium": "средний", "low": "низкий"}
STAGE_LABELS = {"initial": "начальный", "main": "основной", "final": "заключительный"}
RELEASE_LABELS = {code: label for code, (_event, label) in RELEASES.items()}
# Short words a person says for the long labels of the sources; `code_for` takes them too.
ALIASES: dict[str, tuple[str, ...]] = {
    # report status (прил. 4): "исполнено" is how the agencies write it
    "report:done": ("исполнено",), "report:partial": ("частично", "исполнено частично"),
    "report:not-done": ("не исполнено",),
    "control:close": ("прекратить", "предложить прекращение"),
    "council:account": ("учёт", "учет"), "council:not-expedient": ("нецелесообразно",),
    "council:control": ("контроль", "контроль классного руководителя"),
    "release:colony": ("колония",), "release:colony-short": ("колония до 6 месяцев",),
    "release:parole": ("удо",), "release:suvu": ("суву",), "release:suvu-early": ("суву досрочно",),
    "case:open": ("открытые",), "case:closed": ("закрытые",),
}


def words_for(labels: dict[str, str], kind: str = "") -> dict[str, tuple[str, ...]]:
    """Every word that stands for a code: the code, its label, the short words of ALIASES."""
    return {code: (code, label, *ALIASES.get(f"{kind}:{code}", ())) for code, label in labels.items()}


def code_for(value: str, labels: dict[str, str], what: str, kind: str = "") -> str:
    """The code for what a person typed: the code, the Russian word (any case, ё/е) or its first words.

    One place for every fixed-value option, so `--level Критический` and `--level critical` are the
    same answer everywhere; JSON and the database keep the codes. A beginning of a long label
    ("переезд" for "переезд (смена места жительства)") is taken when it names one code only.
    An unknown word is refused with the Russian words that are allowed (never the value in full:
    a mistyped option may have swallowed a name, 152-ФЗ).
    """
    typed = fold(value)
    candidates = words_for(labels, kind)
    for code, words in candidates.items():
        if typed in (fold(w) for w in words):
            return code
    if typed:
        said = _tokens(typed)
        starts = {code for code, words in candidates.items() for w in words[1:] if _tokens(w)[:len(said)] == said}
        if len(starts) == 1:
            return starts.pop()
        # a word of the label the secretary says for it («частичное» for «восстановление частичное»): only when
        # it names one code and the beginnings named none
        inside = {code for code, words in candidates.items() for w in words[1:] if _run_in(said, _tokens(w))}
        if not starts and len(inside) == 1:
            return inside.pop()
    from sopcli.errors import InvalidInput

    shown = value.strip()[:30]
    raise InvalidInput(f"Недопустимое значение {what} «{shown}»: допустимы {allowed_words(labels)}.")


def _tokens(text: str) -> list[str]:
    """A label's words, punctuation aside: «оптимизация семейных отношений, преодоление …» begins with the
    three words typed, comma or not."""
    return "".join(c if c.isalnum() else " " for c in fold(text)).split()


def _run_in(typed: list[str], label: list[str]) -> bool:
    n = len(typed)
    return bool(n) and any(label[i:i + n] == typed for i in range(len(label) - n + 1))


def allowed_words(labels: dict[str, str]) -> str:
    """The Russian words of a vocabulary for an error or a help text, the codes after them for scripts."""
    return "; ".join(f"{label} ({code})" for code, label in labels.items())


def label_of(code: str | None, labels: dict[str, str]) -> str:
    """The Russian word for a stored code; an unknown code (an older registry) is shown as it is."""
    return labels.get(code or "", code or "")


def choice_help(intro: str, labels: dict[str, str], more: str = "") -> str:
    """The help text of a fixed-value option: what it is, then the Russian words (codes in parentheses)."""
    return f"{intro}: {allowed_words(labels)}{more}."


def completer(*vocabularies: dict[str, str]):  # noqa: ANN201 - typer's completion callback
    """A completion callback for an option with fixed values: the Russian words, then the codes.

    How an option gets completion: `typer.Option(..., autocompletion=callback)`, where the callback
    takes `incomplete: str` (and optionally `ctx: typer.Context`) and returns the candidates; this
    one serves the vocabularies, the agency names can be served the same way."""

    def complete(incomplete: str) -> list[str]:
        typed = fold(incomplete)
        out: list[str] = []
        for labels in vocabularies:
            for code, label in labels.items():
                for word in (label, code):
                    if fold(word).startswith(typed) and word not in out:
                        out.append(word)
        return out

    return complete


# -- the audit trail (`audit list`): what was done and to what, in words ----------------------------
AUDIT_ACTIONS = {
    "create": "создание", "update": "изменение", "delete": "удаление", "close": "закрытие",
    "approve": "утверждение", "fulfil": "исполнение", "cancel": "отмена", "open": "открытие",
    "carry": "перенос", "recompute": "пересчёт", "import": "импорт", "restore": "восстановление",
    "settings": "настройки", "file": "наблюдательное дело", "zones": "зоны учёта", "add": "добавление",
    "remove": "удаление", "set": "установка", "remind": "напоминание", "seal": "печать записей",
    "bind": "назначение исполнителя", "attach": "присоединение",
}
AUDIT_ENTITIES = {
    "signal": "сигнал", "check": "проверка", "case": "дело", "case_event": "событие дела",
    "obligation": "обязанность", "plan": "программа", "measure": "мероприятие", "proposal": "предложения",
    "report": "отчёт", "emergency": "экстренная ситуация", "agency": "орган", "access_role": "роль доступа",
    "commission": "комиссия", "reconciliation": "сверка", "registry_setting": "настройка реестра",
    "registry": "реестр", "bank": "банк данных", "calendar": "календарь",
    "calendar_override": "поправка календаря", "measure_complex": "комплекс мер", "signatory": "подписант",
    "rows": "записи реестра",
}

#: an entry's details, key by key (`audit list`): the words a secretary reads; the JSON keeps the keys
AUDIT_FIELDS = {
    "added": "добавлено", "agency": "орган", "alias": "синоним", "assignment": "закрепление", "at": "момент",
    "backup_created_at": "копия от", "backup_engine": "СУБД копии", "birth_date": "дата рождения",
    "bound": "назначено", "case": "дело", "channel": "канал", "closed": "закрыто", "closed_on": "закрыто",
    "code": "код", "commission": "комиссия", "commissions": "комиссии", "count": "количество", "date": "дата",
    "day": "дата", "decision": "решение", "done_on": "исполнено", "due": "срок", "enabled": "включено",
    "executor": "исполнитель", "fields": "поля", "file": "файл", "ground": "основание", "have": "есть",
    "key": "параметр", "kind": "вид", "late_wd": "опоздание, раб. дн.", "left": "осталось", "level": "уровень",
    "line": "строка", "measure": "мероприятие", "measures": "мероприятия", "mismatched": "расхождений",
    "name": "наименование", "number": "номер", "obligations": "обязанности", "old": "было",
    "only_agency": "только у органа", "only_registry": "только в реестре", "outcome": "итог",
    "owner": "исполнитель", "plan": "программа", "previous": "прежнее", "quarter": "квартал",
    "reason": "причина", "region": "регион", "registration": "учёт", "replaced": "заменено",
    "resolution": "постановление", "role": "роль", "rows": "записей", "rule": "правило", "sha256": "контрольная сумма",
    "signal": "сигнал", "signals": "сигналы", "source": "источник", "status": "состояние", "text": "текст",
    "title": "название", "to": "кому", "unchanged": "без изменений", "version": "версия", "was_note": "было",
    "zones": "зоны", "set": "назначен на", "value": "значение", "from": "из", "people": "людей",
    "same_as": "уже известные лица",
}
#: a value a detail stores as a code, in words: the owner's kind, a ground, an outcome, a level, a channel …
AUDIT_VALUES = {"agency": "орган", "commission": "комиссия", "curator": "куратор", "unbound": "не назначен",
                "True": "да", "False": "нет"}


# -- the papers and the rule sets, by name -------------------------------------------------------
DOC_LABELS = {
    "program-letter": "направление программы исполнителям", "arrival-request": "запрос по прежнему месту",
    "move-info": "информация о переезде", "closure-notice": "уведомление о прекращении",
    "resolution-recognition": "проект постановления о признании",
    "resolution-closure": "проект постановления о прекращении",
}
RULE_SET_LABELS = {"federal": "федеральный", "mari-el": "Марий Эл", "smolensk": "Смоленская область",
                   "school": "школа"}


# -- the forms' checklists (issue 14, migration 0010): codes for scripts, the seed's words on paper --
# 004 App. 2 §6: the eight criteria of a family in СОП, in the seed's words
CRITERIA = {
    1: "Семья, в которой родители (законные представители) уклоняются от воспитания и содержания детей и/или "
       "от защиты их прав и законных интересов",
    2: "Семья, в которой родители (законные представители) уклоняются от воспитания и содержания детей и/или "
       "от защиты их прав и законных интересов в связи со злоупотреблением алкогольными напитками, "
       "наркотическими средствами, психоактивными веществами",
    3: "Семья, в которой несовершеннолетние вовлекаются в совершение правонарушений или антиобщественных действий",
    4: "Семья, в которой по отношению к несовершеннолетнему или другим членам семьи со стороны одного из "
       "родителей совершены противоправные деяния",
    5: "Семья, в которой несовершеннолетний, употребляет алкогольные напитки",
    6: "Семья, в которой несовершеннолетний, употребляет наркотические, психоактивные вещества",
    7: "Семья, в которой выявлено жестокое обращение с детьми со стороны родителей(законных представителей)",
    8: "Семья с несовершеннолетними, не имеющая места жительства и средств к существованию",
}
# App. 2 §6 shortened for a list's cell (App. 8 column 7 «Причина постановки на учет»): the seed's words, the
# subject «Семья, в которой» left out
CRITERIA_SHORT = {
    1: "родители уклоняются от воспитания и содержания детей, от защиты их прав и законных интересов",
    2: "родители уклоняются от воспитания и содержания детей в связи со злоупотреблением алкогольными напитками, "
       "наркотическими средствами, психоактивными веществами",
    3: "несовершеннолетние вовлекаются в совершение правонарушений или антиобщественных действий",
    4: "одним из родителей совершены противоправные деяния по отношению к несовершеннолетнему или другим членам "
       "семьи",
    5: "несовершеннолетний употребляет алкогольные напитки",
    6: "несовершеннолетний употребляет наркотические, психоактивные вещества",
    7: "жестокое обращение с детьми со стороны родителей (законных представителей)",
    8: "семья с несовершеннолетними не имеет места жительства и средств к существованию",
}
# App. 2 §7: the four levels of danger, as the seed describes and names them
LEVEL_TEXTS = {
    "low": ("Факты ненадлежащего обращения с ребенком не подтверждаются либо носят единичный характер, не влекут "
            "за собой явных последствий для ребенка, родители серьезно относятся к случившемуся и могут влиять на "
            "ситуацию тем, чтобы она не повторилась. Опасность трагических последствий для жизни и (или) здоровья "
            "ребенка минимальная или отсутствует", "Низкий уровень опасности"),
    "medium": ("Факты ненадлежащего обращения с ребенком подтверждаются, родители (законные представители) "
               "нуждаются в помощи в целях профилактики отобрания ребенка", "Средний уровень опасности"),
    "high": ("Факты ненадлежащего обращения с ребенком подтверждаются, оставление ребенка без немедленной помощи с "
             "очень высокой степенью вероятности приведет к заболеваниям, физическим и (или) психическим "
             "нарушениям здоровья, грубой дезадаптации ребенка, смерти", "Высокий уровень риска"),
    "critical": ("Факты ненадлежащего обращения с ребенком подтверждаются, и требуется немедленное изъятие ребенка "
                 "из семьи ввиду непосредственной угрозы жизни и здоровью", "Критический уровень"),
}
# App. 2/3 §3: housing
HOUSING_KINDS = {"flat": "квартира", "house": "частный дом", "dorm": "комната в общежитии",
                 "communal": "коммунальная квартира", "none": "нет постоянного жилья", "other": "другое"}
HOUSING_STATES = {"comfortable": "благоустроенное", "uncomfortable": "не благоустроенное",
                  "dilapidated": "ветхое жильё"}
SANITARY = {"ok": "удовлетворительное", "bad": "неудовлетворительное"}
LIVING = {"room": "отдельная комната", "corner": "уголок в общей комнате", "desk": "свой письменный стол",
          "sleep": "место для сна", "play": "место для игр", "study": "место для занятий", "toys": "игрушки",
          "books": "книги", "other": "другое"}
# App. 2/3 §4: income by kind (the column of check_conclusion, the seed's row)
INCOME_KINDS = {"salary": "Заработная плата", "pension": "Пенсия", "benefits": "Пособия", "farm": "Доход с ЛПХ",
                "alimony": "Алименты", "stipend": "Стипендия", "other": "Другой источник"}
# App. 3 §6: the family category (several may apply), in the seed's words
FAMILY_CATEGORIES = {
    "full": "полная", "foster": "приемная", "guardian": "опекунская", "large": "многодетная семья",
    "father-only": "семья, оставшаяся с 1 отцом", "single": "одинокая мать/отец",
    "prison": "семья, где один родитель находится в УИН",
    "one-unemployed": "семья с одним неработающим родителем",
    "both-unemployed": "семья с обоими неработающими родителями",
    "disabled-child": "семья с ребенком инвалидом", "disabled-parents": "семья с родителями инвалидами",
    "disabled-parent": "семья с одним родителей инвалидом", "minor-parents": "несовершеннолетние родители",
    "migrants": "семья мигрантов, беженцев, вынужденных переселенцев",
    "returned": "семьи, где дети вернулись из мест лишения свободы",
}
# App. 3 §7: the parents' profile: the seed's criterion and its characteristic
PARENTS_PROFILES = {
    "well": ("Благополучные", "родители морально устойчивы, владеют культурой воспитания, эмоциональная "
                              "атмосфера в семье положительная"),
    "incompetent": ("Педагогически некомпетентные", "родители не владеют культурой воспитания: отсутствует "
                    "единство требований к детям, дети безнадзорны, жестокое обращение с детьми, систематически "
                    "наказывают детей, плохо осведомлены об интересах и поведении детей вне дома"),
    "asocial": ("Асоциальные", "родители ведут аморальный образ жизни, пьянствуют, устраивают притон, имеют "
                               "судимость, воспитанием детей не занимаются"),
    "conflict": ("Конфликтные", "в семье неблагоприятная эмоциональная атмосфера, между родителями постоянные "
                                "конфликты, родители повышено раздражительны, жестоки, нетерпимы"),
}
PARENTS_PROFILE_LABELS = {code: word.lower() for code, (word, _text) in PARENTS_PROFILES.items()}
# App. 3 §8: the kind of danger (several may apply); `criterion` is the App. 2 criterion it follows from
DANGER_KINDS = {
    "evasion": CRITERIA[1], "substance": CRITERIA[2], "violence": "Насилие в семье", "offences": CRITERIA[3],
    "unlawful": CRITERIA[4], "minor-alcohol": "Несовершеннолетний, употребляющий алкогольные напитки",
    "minor-drugs": "Несовершеннолетний, употребляющий наркотические, психоактивные вещества",
    "homeless": CRITERIA[8],
}
DANGER_FROM_CRITERION = {1: "evasion", 2: "substance", 3: "offences", 4: "unlawful", 5: "minor-alcohol",
                         6: "minor-drugs", 7: "violence", 8: "homeless"}
# App. 3 §9: departmental registration, one row per agency kind, in the seed's order and words
REGISTERS = {"kdn": "КДН", "pdn": "ПДН", "social": "Соц.защита", "education": "Образование",
             "health": "Здравоохранение", "guardianship": "Опека и попечительство", "other": "Другие"}
# App. 3 §10: assignments, in the seed's order and words
ASSIGNMENTS = {"clinic": "Поликлиника №, участок №, телефон", "school": "Школа №, класс, телефон",
               "kindergarten": "ДОУ №, телефон", "police": "Отделение полиции, участковый, телефон",
               "patronage": "Патронаж в учреждении социального обслуживания населения"}
ASSIGNMENT_LABELS = {"clinic": "поликлиника", "school": "школа", "kindergarten": "детский сад",
                     "police": "полиция", "patronage": "патронаж"}
# who signs which form (`signatory`): set once per commission
SIGNATORIES = {"chair": "председатель комиссии", "secretary": "ответственный секретарь",
               "check-head": "руководитель органа, проводившего проверку",
               "card-head": "руководитель учреждения, ведущего учётную карту"}
# App. 4 in the seed's own words (the paper form), for the codes above
REACTIONS_APP4_SEED = {
    "aggressive": "Агрессивный отказ от контакта",
    "passive": "Пассивное реагирование, неопределенность на предложение помощи",
    "depressed": "Подавленность, согласие на все",
    "calm": "Спокойное реагирование",
    "ready": "Готовность к сотрудничеству в разрешении проблем семьи",
    "active": "Активное сотрудничество в разрешении проблем семьи",
}
RESULTS_APP4_SEED = {
    "relations": "Оптимизация семейных отношений, преодоление факторов семейного неблагополучия, достижение "
                 "активного приспособления к принятым в обществе правилам и нормам",
    "causes": "Устранение причин и условий, способствующих беспризорности и правонарушениям несовершеннолетних",
    "ties": "Восстановление утраченных несовершеннолетними социальных связей, усиление заботы родителей о детях, "
            "улучшение поведения несовершеннолетних",
    "other": "Другое",
    "refusal": "В связи с отказом семьи от сотрудничества, не исполнения родительских обязанностей в отношении "
               "несовершеннолетних",
    "age-18": "Достижение детьми возраста 18 лет",
    "moved": "Переезд",
    "parents-died": "Смерть родителей",
    "children-died": "Смерть детей",
    "deprivation": "С принятием решения о сборе документов на ограничение или лишение родительских прав",
}
RESULTS_APP4_POSITIVE = ("relations", "causes", "ties", "other")
OUTCOMES_APP4_SEED = {"full": "Достигнута полная реабилитация", "partial": "Восстановление частичное",
                      "none": "Положительные результаты отсутствуют"}
# App. 1 «Результат»: the check's outcome in the words of 004 §4.6 and App. 2
JOURNAL_RESULTS = {
    "sop": "установлены признаки социально опасного положения",
    "departmental": "социально опасное положение не подтвердилось; рекомендован ведомственный учёт",
    "not-confirmed": "факт нарушения прав и законных интересов несовершеннолетних не подтвердился",
}
# App. 2 «Заключение»: the check's outcome as a sentence of the conclusion
CHECK_CONCLUSIONS = {
    "sop": "несовершеннолетний и (или) семья находятся в социально опасном положении",
    "departmental": "социально опасное положение не подтвердилось; рекомендован ведомственный учёт",
    "not-confirmed": "обстоятельства, подтверждающие социально опасное положение, не установлены",
}

# -- the short words a secretary types for the forms' checklists (issue 14): each names one code only --------
# `code_for(value, LABELS, what, kind)` takes them with the kind before the colon
ALIASES.update({
    "housing:dorm": ("общежитие",), "housing:communal": ("коммунальная", "коммуналка"),
    "housing:none": ("нет жилья", "без жилья"), "housing:house": ("дом",),
    "housing-state:uncomfortable": ("неблагоустроенное",), "housing-state:dilapidated": ("ветхое",),
    "living:room": ("комната",), "living:corner": ("уголок",), "living:desk": ("стол", "письменный стол"),
    "living:sleep": ("спальное место",), "living:play": ("игры",), "living:study": ("занятия",),
    "income:salary": ("зарплата", "заработная плата"), "income:benefits": ("пособие",),
    "income:farm": ("лпх", "личное подсобное хозяйство"), "income:other": ("другое", "другой"),
    "family:large": ("многодетная",), "family:father-only": ("один отец", "с отцом"),
    "family:single": ("одинокая мать", "одинокий отец", "одинокий родитель"), "family:prison": ("уин",),
    "family:one-unemployed": ("один неработающий",), "family:both-unemployed": ("оба неработающие",),
    "family:disabled-child": ("ребенок-инвалид", "ребенок инвалид"),
    "family:disabled-parents": ("родители-инвалиды", "родители инвалиды"),
    "family:disabled-parent": ("родитель-инвалид", "родитель инвалид"),
    "family:migrants": ("мигранты", "беженцы", "переселенцы"),
    "family:returned": ("вернулись из мест лишения свободы",),
    "parents:incompetent": ("некомпетентные",),
    "register:social": ("соцзащита", "социальная защита"), "register:guardianship": ("опека",),
    "register:other": ("другое", "другой"),
    "assign:kindergarten": ("доу", "детский сад"),
    "signer:chair": ("председатель",), "signer:secretary": ("секретарь",),
    "signer:check-head": ("руководитель проверки",), "signer:card-head": ("руководитель учреждения",),
})
# App. 3 §8 typed as a short word; the seed's long text (DANGER_KINDS) is taken too and printed on the form
DANGER_LABELS = {"evasion": "уклонение от воспитания", "substance": "злоупотребление родителей",
                 "violence": "насилие в семье", "offences": "вовлечение в правонарушения",
                 "unlawful": "противоправные деяния", "minor-alcohol": "алкоголь несовершеннолетнего",
                 "minor-drugs": "наркотики несовершеннолетнего", "homeless": "нет жилья и средств"}
ALIASES.update({f"danger:{code}": (text,) for code, text in DANGER_KINDS.items()})
ALIASES.update({"danger:violence": (DANGER_KINDS["violence"], "насилие"), "danger:evasion": (
    DANGER_KINDS["evasion"], "уклонение"), "danger:homeless": (DANGER_KINDS["homeless"], "без жилья")})
# App. 2 §6 / App. 2 §2: how a person is related in the family; other words are stored as typed (up to 30)
RELATIONS = ("мать", "отец", "отчим", "мачеха", "опекун", "попечитель", "бабушка", "дедушка", "сын", "дочь",
             "брат", "сестра")
RELATION_LIMIT = 30
REGISTER_SELF = ("kdn", "кдн", "кдн и зп", "комиссия")  # App. 3 §9 row «КДН»: the case itself, not a registration
