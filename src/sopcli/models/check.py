"""The check's conclusion (004 App. 2): one per signal."""

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Field, SQLModel

from sopcli.models.tenancy import commission_field


class Check(SQLModel, table=True):
    __tablename__ = "check_conclusion"  # "check" is a reserved word in SQL

    id: int | None = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", unique=True)
    concluded_on: date
    level: str = Field(max_length=10)  # low | medium | high | critical
    outcome: str = Field(max_length=20)  # not-confirmed | departmental | sop
    criteria: str = ""  # App. 2 criteria 1–8, comma-separated
    family: str = ""  # composition
    housing: str = ""
    income: str = ""
    support: str = ""
    note: str = ""
    # 0010: App. 2 §3 (housing) and §4 (income: the roubles; the kopecks at the end, 0015)
    address_registered: str = ""  # «Адрес по прописке»
    address_actual: str = ""  # «Адрес фактический»
    housing_kind: str = ""  # vocab.HOUSING_KINDS: flat | house | dorm | communal | none | other
    housing_area: Decimal | None = Field(default=None, max_digits=8, decimal_places=1)  # кв. м
    housing_state: str = ""  # vocab.HOUSING_STATES: comfortable | uncomfortable | dilapidated
    sanitary: str = ""  # vocab.SANITARY: ok | bad
    living: str = ""  # vocab.LIVING codes, comma-separated (App. 2 «Условия жизни несовершеннолетних»)
    income_salary: int | None = None
    income_pension: int | None = None
    income_benefits: int | None = None
    income_farm: int | None = None  # доход с ЛПХ
    income_alimony: int | None = None
    income_stipend: int | None = None
    income_other: int | None = None
    created_at: datetime
    commission: str | None = commission_field()  # 0007: filled by the database, never by the ORM
    # 0015: the kopecks of each amount above (0–99; None for none): «21 317,40» is 21317 and 40
    income_salary_kop: int | None = None
    income_pension_kop: int | None = None
    income_benefits_kop: int | None = None
    income_farm_kop: int | None = None
    income_alimony_kop: int | None = None
    income_stipend_kop: int | None = None
    income_other_kop: int | None = None
