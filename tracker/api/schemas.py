"""The shapes the API reads and writes, as pydantic models.

Request models check the *shape* of a body (types, required keys); the operations check the
*values* (VAT check digit, choices, ranges, dates) so that pages and API refuse the same things
with the same words. Unknown keys are ignored: a workflow ignores the fields it does not use.

Response models are the answers: a handler returns one, the framework sends its
``model_dump(mode="json")``, and the OpenAPI document describes the same model, so what is
described is what is sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from flask import g
from pydantic import (
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictStr,
    WithJsonSchema,
)

from tracker.errors import ValidationFailed
from tracker.validation import MAX_ID
from workflows.i18n import N_

if TYPE_CHECKING:
    from tracker.pagination import PageRequest

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="A numeric id.")]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_ID)]
Day = Annotated[StrictStr, Field(json_schema_extra={"format": "date"}, examples=["2027-12-31"])]
Amount = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        description="An amount in euros (or points), as a JSON number or a decimal string; "
        "at most two decimal places.",
    ),
]


def choices(values, description: str | None = None, **default: Any) -> Any:
    """Text whose allowed values the document lists; the operation refuses others with a 422."""
    allowed = list(values) + ([None] if default.get("default", ...) is None else [])
    return Field(json_schema_extra={"enum": allowed}, description=description, **default)


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    def fields(self) -> dict[str, Any]:
        """What the client sent, as the plain dict the operations take."""
        return self.model_dump(exclude_unset=True)


class PatchModel(RequestModel):
    """A PATCH body: the fields it may change, and back the fields of the answer it would get,
    unchanged (a client may send back what it read); any other key is refused with a 422
    naming it, rather than silently ignored (a typo would otherwise look like a change)."""

    model_config = ConfigDict(extra="allow")

    def fields(self) -> dict[str, Any]:
        return {k: v for k, v in super().fields().items() if k in type(self).model_fields}

    def refuse_unknown(self, current: Callable[[], BaseModel]) -> None:
        """422 naming each key that is no field of this body, unless the answer as it stands
        (``current()``, built only when such a key was sent) holds it with the same value."""
        if not self.model_extra:
            return
        answer = current().model_dump(mode="json")
        problems = {}
        for key, value in self.model_extra.items():
            if key not in answer:
                problems[key] = N_("Unknown field.")
            elif answer[key] != value:
                problems[key] = N_("%(field)s cannot be changed here.", field=key)
        if problems:
            raise ValidationFailed.fields(problems)


# --- requests ---------------------------------------------------------------------------------


class TransitionIn(RequestModel):
    trigger: StrictStr = Field(examples=["submit"])
    comment: StrictStr | None = ""
    version: Id | None = Field(None, description="The version the client saw; 409 if stale.")
    data: dict[str, Any] | None = Field(
        None,
        description="What the trigger needs, e.g. {decree_number, decree_date} for grant_label.",
    )


# --- answers ----------------------------------------------------------------------------------
#
# Each answer is one of these models, built from the records it shows (``from_attributes``: a
# field reads the attribute of its name, or the path its ``validation_alias`` names) and sent
# with ``model_dump(mode="json")``; the OpenAPI document describes the same models. What a record
# does not hold itself (a name on a related row, what the viewer may do next) is added by
# ``with_fields`` in the model's ``of``.


def _decimal_text(value: Any) -> Any:
    """An amount as its column holds it (Decimal, or 0 for a sum over nothing), as text."""
    return value if value is None or isinstance(value, str) else str(value)


def _zero_if_none(value: Any) -> Any:
    return "0.00" if value is None else _decimal_text(value)


def _two_places(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


#: an exact amount as a decimal string, "400000.00" (the column's Decimal, written as is)
Money = Annotated[str, BeforeValidator(_decimal_text)]
#: the same, "0.00" when the record holds none
MoneyOrZero = Annotated[str, BeforeValidator(_zero_if_none)]
#: an aware datetime in ISO 8601 as Python writes it ("2024-05-02T09:30:00+00:00")
Instant = Annotated[
    dt.datetime,
    PlainSerializer(dt.datetime.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"format": "date-time", "type": "string"}),
]


def _shown_to_viewer(email: str | None) -> str | None:
    """An e-mail address as the request's user may read it: officers and committee members see
    people's addresses, everyone else their names only (the GDPR's data minimisation)."""
    viewer = g.get("api_user")
    return email if viewer is not None and viewer.sees_email_addresses else None


#: a person's e-mail address, sent only to those who may read it (null for the others)
Email = Annotated[
    str | None,
    PlainSerializer(_shown_to_viewer, return_type=str | None, when_used="json"),
    Field(
        description="An e-mail address: sent to officers and committee members, null for others."
    ),
]
#: a lazy translated string, sent as text in the request's language (English for the API)
Translated = Annotated[str, BeforeValidator(str)]
#: days, to two decimal places
Days = Annotated[float | None, BeforeValidator(_two_places)]


def attribute_of(*path: str) -> Any:
    """A field read from a related record: ``attribute_of("organisation", "name")``."""
    return AliasPath(*path) if len(path) > 1 else path[0]


class Loaded:
    """Reads ``names`` of a record at once, from the ORM's instance dict when its row loaded
    them all (one lookup each), else through the attributes (a property, a column expired by a
    commit, a record that is no ORM row). For what a list's items repeat: a page of 50
    applications holds some 600 partners, and a read through SQLAlchemy's descriptor costs ten
    times a lookup."""

    def __init__(self, *names: str) -> None:
        self.names = names
        self._lookup = itemgetter(*names)

    def __call__(self, record: Any) -> tuple:
        try:
            return self._lookup(vars(record))
        except (KeyError, TypeError):  # not loaded, or no instance dict (__slots__)
            return tuple(getattr(record, name) for name in self.names)


class with_fields:  # noqa: N801  (reads as a function: with_fields(app, label=...))
    """A record as an answer reads it: its own attributes, with ``fields`` added or replaced.

    What the record's row loaded is copied in at once (a lookup each, where reading it through
    SQLAlchemy's descriptor and ``__getattr__`` cost ten times more: some 1,500 reads on a page
    of 50 applications); the rest (properties, expired columns) is read from the record."""

    def __init__(self, record: Any, **fields: Any) -> None:
        self.__dict__.update(getattr(record, "__dict__", ()))
        self._record = record
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


class ResponseModel(BaseModel):
    # validate_by_name: the tests validate real answers (JSON, by field name) with these models
    model_config = ConfigDict(
        extra="forbid", from_attributes=True, validate_by_alias=True, validate_by_name=True
    )


class ErrorBody(ResponseModel):
    code: str = Field(examples=["conditions_unmet"])
    message: str
    details: Any = Field(
        description="null, {fields: {name: problem}} for invalid input, or "
        "{unmet: [{condition, message}]} for unmet workflow conditions."
    )


class Error(ResponseModel):
    error: ErrorBody


class UnmetOut(ResponseModel):
    condition: str = Field(examples=["min_lombardy_firms"])
    message: str


class OptionDataOut(ResponseModel):
    name: str
    label: str
    kind: Literal["text", "date", "id", "amount"]
    required: bool = True


def _of_transition(name: str) -> Any:
    return Field(validation_alias=attribute_of("transition", name))


class OptionOut(ResponseModel):
    # read from a workflows.engine.Option: a transition from the current state, as one person
    # sees it

    trigger: str
    label: str = _of_transition("label")
    dest: str = _of_transition("dest")
    allowed: bool
    unmet: list[UnmetOut]
    comment_required: bool = _of_transition("comment_required")
    data: list[OptionDataOut] = _of_transition("data")


class HistoryOut(ResponseModel):
    at: Instant
    actor: Email = Field(description="The e-mail of who fired the trigger (officers and "
                         "committee members only; null for others).")  # fmt: skip
    actor_name: str | None = Field(description="The name of who fired the trigger.")
    trigger: str
    from_state: str
    to_state: str
    comment: str
    data: dict[str, Any]

    @classmethod
    def of(cls, entry: Any) -> HistoryOut:
        """A history row of any subject (``tracker.firing.HistoryRecord``)."""
        actor = entry.actor
        return cls.model_validate(
            with_fields(
                entry,
                actor=actor.email if actor else None,
                actor_name=actor.name if actor else None,
            )
        )


class Page(ResponseModel):
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, items: list, paging: PageRequest, total: int) -> Self:
        """One page of a list: ``items`` are records (or rows) the ``items`` model reads."""
        return cls.model_validate(
            {"items": items, "page": paging.page, "per_page": paging.per_page, "total": total}
        )
