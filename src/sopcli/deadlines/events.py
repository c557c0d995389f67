"""The events registry steps emit: the only vocabulary between the steps and the rulebook.

A step says what happened ("a check concluded", "a removal act was made"); the
rulebook (data) says which terms that opens and which it fulfils. No service
names a rule, so a region's own rulebook can hang its terms on the same events,
and the loader can refuse a rule that no step would ever open.

`repeatable`: the same subject may see the event again with a new anchor (a
corrected programme is approved again: its sending is owed again). Any other
event opens a rule at most once for its subject, however many steps emit it
(`fed.threat` on a signal marked as a threat and again on a critical check).

`ahead`: the event's date is one that lies ahead when the step records it (a release date set by the
sentence, a graduation, an 18th birthday). Only such an event can anchor a «before» term (`-6m`, «не позднее
чем за 10 дней до …»), which counts back from that date: counted back from a signal's registration or a
check, the term would fall due before the event itself, overdue the moment it opens (issue 29 §6). The loader
refuses a «before» rule opened by any other event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    code: str
    label: str  # what happened, as the secretary would say it
    step: str  # the command that emits it
    repeatable: bool = False
    ahead: bool = False  # its date lies ahead when recorded: a «before» term may count back from it


_EVENTS = (
    Event("signal.registered", "сигнал зарегистрирован в журнале", "signal add"),
    Event("signal.received", "сведения органа поступили в КДН (сигнал в журнале)", "signal add"),
    Event("signal.phone", "информация передана по телефону", "signal add --channel phone"),
    Event("signal.threat", "в сигнале — угроза жизни или здоровью", "signal add --threat"),
    Event("signal.attached", "сигнал присоединён к открытому делу (проверка не проводится)",
          "signal add --to-case"),
    Event("signal.arrival", "прибыла семья (несовершеннолетний) в СОП", "transfer in"),
    Event("signal.kind.sop-signs", "выявлены признаки СОП", "signal add --kind sop-signs"),
    Event("signal.kind.rights", "выявлено нарушение прав несовершеннолетнего", "signal add --kind rights"),
    Event("signal.kind.emergency", "чрезвычайная ситуация с несовершеннолетним", "signal add --kind emergency"),
    Event("signal.kind.neglected", "безнадзорный помещён в организацию", "signal add --kind neglected"),
    Event("signal.kind.departmental", "решение о ведомственном учёте", "signal add --kind departmental"),
    Event("signal.kind.to-kdn", "направление информации в КДН (систематическое неисполнение обязанностей)",
          "signal add --kind to-kdn"),
    Event("check.concluded", "проверка завершена заключением", "check"),
    Event("check.critical", "проверка: уровень опасности «критический»", "check --level critical"),
    Event("check.departmental", "проверка: ведомственный учёт", "check --outcome departmental"),
    Event("check.sop", "проверка: признаки СОП", "check --outcome sop"),
    Event("check.not-confirmed", "проверка: сведения не подтвердились", "check --outcome not-confirmed"),
    Event("case.recognized", "постановление о признании в СОП", "recognize"),
    Event("case.child", "ребёнку по делу исполняется 18 лет", "recognize", ahead=True),
    Event("consent.recorded", "согласие на обработку ПД получено или отказ записан", "consent"),
    Event("proposal.recorded", "предложения органа в программу получены (прил. 5)", "plan propose"),
    Event("plan.approved", "программа утверждена", "plan approve", repeatable=True),
    Event("plan.measure", "мероприятие утверждённой программы", "plan approve"),
    Event("measure.reported", "отчёт исполнителя о мероприятии получен", "report"),
    Event("measure.done", "мероприятие выполнено (отчёт)", "report --status done"),
    Event("control.done", "контроль исполнения программы", "control"),
    Event("case.closed", "постановление о прекращении работы", "close"),
    Event("case.closed.adult", "прекращение: достижение 18 лет", "close --ground age-18"),
    Event("case.moved", "выявлен переезд", "transfer out"),
    Event("case.moved.received", "сведения о переезде поступили в орган учёта", "transfer out"),
    Event("release.colony", "дата освобождения из воспитательной колонии (срок более 6 месяцев)",
          "release --kind colony", ahead=True),
    Event("release.colony-short", "приговор к лишению свободы до 6 месяцев вступил в силу",
          "release --kind colony-short"),
    Event("release.parole", "решение суда об УДО", "release --kind parole"),
    Event("release.suvu", "дата выпуска из СУВУ закрытого типа", "release --kind suvu", ahead=True),
    Event("release.suvu-early", "досрочное выбытие из СУВУ закрытого типа", "release --kind suvu-early",
          ahead=True),
    Event("grads.analysis", "анализ по выпускникам проведён", "graduates --analysis"),
    Event("grads.sent", "сведения переданы в колледж", "graduates --sent"),
    Event("grads.answered", "колледж ответил", "graduates --answer"),
    Event("school.account", "Совет профилактики: поставить на учёт", "school council"),
    Event("school.council", "решение Совета профилактики", "school council"),
    Event("school.close.requested", "представление о снятии с учёта", "school close-request"),
    Event("reconcile.done", "сверка с органом проведена", "reconcile"),
    Event("complex.measure", "мероприятие межведомственного комплекса", "measures import"),
    Event("doc.program-letter", "программа направлена исполнителям", "doc program-letter --sent"),
    Event("doc.arrival-request", "запрос по прежнему месту направлен", "doc arrival-request --sent"),
    Event("doc.move-info", "информация о переезде направлена", "doc move-info --sent"),
    Event("doc.closure-notice", "уведомление о прекращении направлено", "doc closure-notice --sent"),
    Event("emergency.guard-info", "опека получила информацию об угрозе жизни или здоровью",
          "emergency --kind guard-info"),
    Event("emergency.removal-grounds", "выявлены условия для немедленного отобрания",
          "emergency --kind removal-grounds"),
    Event("emergency.removal", "вынесен акт об отобрании ребёнка", "emergency --kind removal"),
    Event("emergency.removal-parents", "отобрание у единственного (обоих) родителей",
          "emergency --kind removal-parents"),
    Event("emergency.police-info", "полиция получила информацию об угрозе жизни или здоровью",
          "emergency --kind police-info"),
    Event("emergency.neglected", "безнадзорный (беспризорный) ребёнок доставлен полицией",
          "emergency --kind neglected"),
    Event("emergency.returned", "ребёнок возвращён родителям", "emergency --kind returned"),
)
EVENTS: dict[str, Event] = {e.code: e for e in _EVENTS}

#: The fulfilment of another rule's term as an event (`done:RULE`): a regional order counts a term from a
#: duty done, not from a step («не позднее 15 дней со дня их регистрации в АИС», 188-ПП п. 19, where the
#: registration is a duty of its own). Opened when that obligation is fulfilled, by a step or a secretary's mark.
DONE = "done:"


def event_of(code: str, title: str = "") -> Event:
    """A step's event, or the fulfilment of rule `title`'s term (`done:RULE`); KeyError for anything else."""
    found = EVENTS.get(code)
    if found is not None:
        return found
    if code.startswith(DONE) and len(code) > len(DONE):
        rule = code[len(DONE):]
        return Event(code, f"исполнено: {title or rule}", f"deadlines done (обязанность по правилу {rule})")
    raise KeyError(code)

#: The commission's own steps. When one of them meets an agency's open duty it fulfils (a check concluded
#: before the agency's written confirmation came), the duty is closed as no longer needed, not as done late
#: by the agency: an agency is never charged with the lateness of a step another party took (issue 28).
BY_COMMISSION = frozenset({"check.concluded", "check.critical", "check.departmental", "check.sop",
                           "check.not-confirmed",
                           "signal.attached", "case.recognized", "plan.approved", "control.done", "case.closed",
                           "case.closed.adult", "doc.program-letter", "doc.arrival-request", "doc.move-info",
                           "doc.closure-notice"})

# What a signal is about (001 §2.5.1): `signal add --kind`, the Russian word and its event.
SIGNAL_KINDS = {
    "sop-signs": "признаки СОП",
    "rights": "нарушение прав",
    "emergency": "чрезвычайная ситуация",
    "neglected": "безнадзорный помещён в организацию",
    "departmental": "ведомственный учёт",
    "to-kdn": "направление в КДН",
}
DEFAULT_SIGNAL_KIND = "sop-signs"  # a signal in the СОП registry is, unless said otherwise, about signs of СОП

# 004 §7: `emergency --kind`, the Russian words and the events each emits.
EMERGENCY_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "guard-info": ("опека получила сведения об угрозе", ("emergency.guard-info",)),
    "removal-grounds": ("условия для немедленного отобрания", ("emergency.removal-grounds",)),
    "removal": ("акт об отобрании", ("emergency.removal",)),
    "removal-parents": ("отобрание у единственного (обоих) родителей",
                        ("emergency.removal", "emergency.removal-parents")),
    "police-info": ("полиция получила сведения об угрозе", ("emergency.police-info",)),
    "neglected": ("безнадзорный доставлен полицией", ("emergency.neglected",)),
    "returned": ("ребёнок возвращён родителям", ("emergency.returned",)),
}
