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
