"""The directory of agencies of the prevention system (001 §2.1), editable."""

from sqlmodel import Field, SQLModel


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300, unique=True)
    kind: str = Field(max_length=40, index=True)
    is_active: bool = True
