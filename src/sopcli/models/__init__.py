"""SQLModel tables, one module per aggregate (STYLE.md).

Moments are aware datetimes; SQLModel's UTC column type stores them in UTC on
both engines and returns them aware, so no code compares naive with aware.
"""

from sopcli.models.agency import Agency, AgencyAlias
from sopcli.models.audit import AuditEntry, AuditHead, RowSeal
from sopcli.models.case import Case, CaseAssignment, CaseRegistration
from sopcli.models.check import Check
from sopcli.models.complex import Complex, ComplexMeasure
from sopcli.models.obligation import Obligation
from sopcli.models.person import Person
from sopcli.models.plan import CaseEvent, Measure, Plan, Proposal, Reconciliation, Report
from sopcli.models.registry import CalendarOverride, RegistrySetting, Signatory
from sopcli.models.signal import CaseSignal, Emergency, Signal, SignalPerson
from sopcli.models.tenancy import AccessRole, Commission, PseudonymKey

__all__ = [
    "AccessRole",
    "Agency",
    "AgencyAlias",
    "AuditEntry",
    "AuditHead",
    "CalendarOverride",
    "Case",
    "CaseAssignment",
    "CaseEvent",
    "CaseRegistration",
    "CaseSignal",
    "Check",
    "Commission",
    "Complex",
    "ComplexMeasure",
    "Emergency",
    "Measure",
    "Obligation",
    "Person",
    "Plan",
    "Proposal",
    "PseudonymKey",
    "Reconciliation",
    "RegistrySetting",
    "Report",
    "RowSeal",
    "Signal",
    "SignalPerson",
    "Signatory",
]
