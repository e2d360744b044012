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
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import (
    AliasPath,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictStr,
    WithJsonSchema,
    model_serializer,
)

from tracker.applications.operations import available_transitions
from tracker.organisations.models import KINDS, SIZES
from tracker.params import MAX_ID
from tracker.reference import S3_ECOSYSTEMS, THEMATIC_AREAS
from tracker.reviews.models import RECOMMENDATIONS
from workflows import APPLICATION_WORKFLOWS

if TYPE_CHECKING:
    from tracker.applications.models import Application
    from tracker.auth.models import User
    from tracker.calls.models import Call
    from tracker.dashboards.figures import Figures
    from tracker.labels.models import QualityLabel
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


def _enum(values, description: str | None = None, **default: Any) -> Any:
    """Text whose allowed values the document lists; the operation refuses others with a 422."""
    allowed = list(values) + ([None] if default.get("default", ...) is None else [])
    return Field(json_schema_extra={"enum": allowed}, description=description, **default)


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    def fields(self) -> dict[str, Any]:
        """What the client sent, as the plain dict the operations take."""
        return self.model_dump(exclude_unset=True)


# --- requests ---------------------------------------------------------------------------------


class OrganisationIn(RequestModel):
    """A member organisation of partnerships."""

    name: StrictStr
    vat_number: StrictStr = Field(
        description="Italian partita IVA: 11 digits with a check digit; spaces and 'IT' allowed.",
        examples=["12345678903"],
    )
    kind: StrictStr = _enum(KINDS)
    size: StrictStr | None = _enum(SIZES, "Required for firms.", default=None)
    province: StrictStr | None = Field(None, description="Two-letter code, e.g. MI, BS.")
    city: StrictStr | None = None
    lombardy_seat: StrictBool | None = Field(
        None, description="Defaults to whether the province is in Lombardy."
    )


class VerificationIn(RequestModel):
    """An officer's or a committee member's check of what an organisation declared."""

    note: StrictStr | None = Field(
        None, description="How the declared data were checked (at most 500 characters)."
    )


class CriterionIn(RequestModel):
    key: StrictStr = Field(description="Lower-case letters, digits and underscores.")
    label: StrictStr
    max: Annotated[int, Field(strict=True, description="The highest score, 1 to 1000.")]


class CallIn(RequestModel):
    """A call (phase 1) or a support measure (workflow support_application)."""

    title: StrictStr
    workflow: StrictStr = Field(
        "value_chain", json_schema_extra={"enum": list(APPLICATION_WORKFLOWS)}
    )
    description: StrictStr | None = None
    act_reference: StrictStr | None = None
    opens_at: Day
    deadline: Day
    min_firms: Annotated[int, Field(strict=True)] | None = 0
    min_reviews: Annotated[int, Field(strict=True)] | None = 1
    score_threshold: Amount | None = Decimal(0)
    criteria: list[CriterionIn] = Field(
        default_factory=list,
        description="At least one, for workflows whose committee scores applications.",
    )
    budget: Amount | None = Field(None, description="Support measures only.")
    max_grant: Amount | None = Field(None, description="Support measures only.")
    min_smes: Annotated[int, Field(strict=True)] | None = Field(
        None, description="Support measures only."
    )
    label_bonus: Amount | None = Field(None, description="Support measures only.")


class DeadlineExtensionIn(RequestModel):
    """Moves the deadline later; the extension is kept in the call's history."""

    deadline: Day
    reason: StrictStr | None = ""


class CommitteeMemberIn(RequestModel):
    user_id: Id


class ConceptNote(RequestModel):
    challenges: StrictStr | None = None
    needs: StrictStr | None = None
    objectives: StrictStr | None = None
    actions: StrictStr | None = None
    investments: StrictStr | None = None


class ApplicationIn(RequestModel):
    """The same body for every workflow; a workflow ignores what it does not use."""

    call_id: Id
    title: StrictStr
    thematic_area: StrictStr | None = _enum(THEMATIC_AREAS, default=None)
    s3_ecosystem: StrictStr | None = _enum(S3_ECOSYSTEMS, default=None)
    concept_note: ConceptNote | None = None
    lead_organisation_id: Id | None = Field(
        None, description="The caller's organisation (the default): the lead partner."
    )
    lead_role: StrictStr | None = Field(
        None, max_length=200, description="The lead partner's role (default: capofila)."
    )
    requested_amount: Amount | None = None
    value_chain_id: Id | None = None


class ApplicationPatch(RequestModel):
    """Only the keys sent change; ``version`` (optional) refuses the change with 409 if stale."""

    title: StrictStr | None = None
    thematic_area: StrictStr | None = _enum(THEMATIC_AREAS, default=None)
    s3_ecosystem: StrictStr | None = _enum(S3_ECOSYSTEMS, default=None)
    concept_note: ConceptNote | None = None
    requested_amount: Amount | None = None
    value_chain_id: Id | None = Field(
        None, description="Support measures: the value chain applied for; null clears it."
    )
    version: Id | None = None

    def fields(self) -> dict[str, Any]:
        out = super().fields()
        out.pop("version", None)
        return out


class PartnerIn(RequestModel):
    organisation_id: Id
    role: StrictStr = Field(description="The partner's role in the partnership.")
    commitments: StrictStr | None = ""


class AgreementIn(RequestModel):
    signed: StrictBool = Field(
        description="true: all partners signed the project agreement; false takes it back."
    )


class TransitionIn(RequestModel):
    trigger: StrictStr = Field(examples=["submit"])
    comment: StrictStr | None = ""
    version: Id | None = Field(None, description="The version the client saw; 409 if stale.")
    data: dict[str, Any] | None = Field(
        None,
        description="What the trigger needs, e.g. {decree_number, decree_date} for grant_label.",
    )


class ReviewIn(RequestModel):
    scores: dict[str, Annotated[int, Field(strict=True)]] = Field(
        description="Criterion key -> whole number between 0 and the criterion's max."
    )
    recommendation: StrictStr = _enum(RECOMMENDATIONS)
    comment: StrictStr | None = ""


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
#: a lazy translated string, sent as text in the request's language (English for the API)
Translated = Annotated[str, BeforeValidator(str)]
#: days, to two decimal places
Days = Annotated[float | None, BeforeValidator(_two_places)]


def attribute_of(*path: str) -> Any:
    """A field read from a related record: ``attribute_of("organisation", "name")``."""
    return AliasPath(*path) if len(path) > 1 else path[0]


class with_fields:  # noqa: N801  (reads as a function: with_fields(app, label=...))
    """A record as an answer reads it: its own attributes, with ``fields`` added or replaced."""

    def __init__(self, record: Any, **fields: Any) -> None:
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


class UserOut(ResponseModel):
    id: int
    email: str
    name: str
    roles: list[str]
    organisation_id: int | None


class StateOut(ResponseModel):
    name: str
    title: str
    phase: int | None
    terminal: bool
    editable: bool
    reviewable: bool
    description: str


class ConditionOut(ResponseModel):
    name: str
    description: str


class DataFieldOut(ResponseModel):
    name: str
    label: str
    kind: Literal["text", "date", "id", "amount"]
    required: bool = True
    one_of: str | None = Field(
        None, description="Optional fields sharing this name: at least one must be given."
    )


class TransitionOut(ResponseModel):
    trigger: str
    label: str
    sources: list[str]
    dest: str
    roles: Annotated[list[str], BeforeValidator(sorted)]
    conditions: list[ConditionOut]
    comment_required: bool
    data: list[DataFieldOut]
    description: str


class WorkflowOut(ResponseModel):
    name: str
    title: str
    description: str
    initial: str
    states: list[StateOut]
    transitions: list[TransitionOut]


class OrganisationOut(ResponseModel):
    id: int
    name: str
    vat_number: str
    kind: str
    size: str | None
    province: str | None
    city: str | None
    lombardy_seat: bool
    verified: bool = Field(
        description="An officer or a committee member checked the declared data; until then "
        "it does not count toward a call's minimums when a committee admits an application."
    )
    declared_by: int | None = Field(
        validation_alias=attribute_of("declared_by_id"),
        description="The user who registered it and declared its data; null if entered "
        "before declarations were recorded.",
    )
    declared_at: Instant
    verified_at: Instant | None = Field(description="Null while awaiting verification.")
    verified_by: int | None = Field(
        validation_alias=attribute_of("verified_by_id"),
        description="The user who verified it; null while awaiting verification, or if it was "
        "verified by migration (entered before the rule).",
    )
    verification_note: str | None


class CriterionOut(ResponseModel):
    key: str
    label: str
    max: int = Field(validation_alias=attribute_of("max_score"))


class DeadlineExtensionOut(ResponseModel):
    previous_deadline: dt.date
    new_deadline: dt.date
    reason: str
    extended_at: Instant


#: what only a support measure's answer carries
MEASURE_FIELDS = ("budget", "max_grant", "min_smes", "label_bonus", "committed", "remaining_budget")


class CallOut(ResponseModel):
    id: int
    title: str
    workflow: str
    description: str
    act_reference: str
    opens_at: dt.date
    deadline: dt.date
    min_firms: int
    min_reviews: int
    score_threshold: Money = Field(description="A decimal string.")
    criteria: list[CriterionOut]
    deadline_extensions: list[DeadlineExtensionOut] = Field(
        validation_alias=attribute_of("extensions")
    )
    committee: list[int] = Field(description="User ids of the evaluation committee.")
    budget: Money | None = Field(None, description="Support measures only.")
    max_grant: Money | None = Field(None, description="Support measures only.")
    min_smes: int | None = Field(None, description="Support measures only.")
    label_bonus: Money | None = Field(None, description="Support measures only.")
    committed: Money | None = Field(
        None, description="Support measures only: the budget held by grants."
    )
    remaining_budget: Money | None = Field(
        None, description="Support measures only: the budget not yet committed."
    )

    @classmethod
    def of(cls, call: Call) -> CallOut:
        return cls.model_validate(with_fields(call, committee=[m.user_id for m in call.committee]))

    @model_serializer(mode="wrap")
    def _measure_fields_for_measures_only(self, handler: SerializerFunctionWrapHandler):
        out = handler(self)
        if self.workflow != "support_application":
            for name in MEASURE_FIELDS:
                out.pop(name, None)
        return out


class CommitteeMemberOut(ResponseModel):
    call_id: int
    user_id: int
    email: str = Field(validation_alias=attribute_of("user", "email"))
    name: str = Field(validation_alias=attribute_of("user", "name"))
    appointed_at: Instant


def _of_organisation(name: str) -> Any:
    return Field(validation_alias=attribute_of("organisation", name))


class PartnerOut(ResponseModel):
    organisation_id: int
    name: str = _of_organisation("name")
    vat_number: str = _of_organisation("vat_number")
    kind: str = _of_organisation("kind")
    size: str | None = _of_organisation("size")
    province: str | None = _of_organisation("province")
    lombardy_seat: bool = _of_organisation("lombardy_seat")
    role: str
    commitments: str
    lead: bool = Field(validation_alias=attribute_of("is_lead"))


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


class LabelOut(ResponseModel):
    code: str
    decree_number: str
    decree_date: dt.date
    revoked: bool

    @classmethod
    def of(cls, label: QualityLabel | None) -> LabelOut | None:
        if label is None:
            return None
        return cls.model_validate(with_fields(label, revoked=not label.valid))


class ConceptNoteOut(ResponseModel):
    challenges: str
    needs: str
    objectives: str
    actions: str
    investments: str


class ApplicationOut(ResponseModel):
    id: int
    call_id: int
    workflow: str
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))
    phase: int | None
    version: int
    title: str
    thematic_area: str | None
    s3_ecosystem: str | None
    concept_note: ConceptNoteOut
    lead_organisation_id: int
    lead_organisation: str = Field(
        validation_alias=attribute_of("lead_organisation", "name"),
        description="The lead partner's name.",
    )
    partners: list[PartnerOut]
    agreement_signed: bool
    agreement_signed_at: Instant | None
    requested_amount: Money | None = Field(description="A decimal string, or null.")
    value_chain_id: int | None
    score: Money | None = Field(
        description="A decimal string; null until evaluated. For a support measure, the total: "
        "base_score plus label_bonus_applied."
    )
    base_score: Money | None = Field(
        None,
        description="Support measures: the committee's average before the quality-label bonus "
        "(the threshold applies to it); null until the evaluation is closed.",
    )
    label_bonus_applied: Money | None = Field(
        None,
        description="Support measures: the bonus added when the evaluation closed (0 when the "
        "value chain held no valid label then).",
    )
    granted_amount: Money | None = Field(
        None, description="Support measures: the amount granted (at most the amount requested)."
    )
    label: LabelOut | None
    submitted_at: Instant | None
    created_at: Instant
    updated_at: Instant
    available_transitions: list[OptionOut] = Field(
        description="Every transition from the current state, as the caller sees it."
    )

    @classmethod
    def of(cls, app: Application, viewer: User) -> ApplicationOut:
        """``app`` as ``viewer`` sees it: what they may do next is part of the answer."""
        return cls.model_validate(
            with_fields(
                app,
                label=LabelOut.of(app.label),
                available_transitions=available_transitions(viewer, app),
            )
        )


class HistoryOut(ResponseModel):
    at: Instant
    actor: str | None = Field(description="The email of who fired the trigger.")
    trigger: str
    from_state: str
    to_state: str
    comment: str
    data: dict[str, Any]

    @classmethod
    def of(cls, entry: Any) -> HistoryOut:
        """A history row of any subject (``tracker.records.HistoryRecord``)."""
        return cls.model_validate(
            with_fields(entry, actor=entry.actor.email if entry.actor else None)
        )


class ReviewOut(ResponseModel):
    id: int
    application_id: int
    reviewer_id: int
    reviewer: str = Field(validation_alias=attribute_of("reviewer", "name"))
    scores: dict[str, int]
    total: int
    recommendation: str
    comment: str
    submitted_at: Instant


class DashboardStateOut(ResponseModel):
    state: str
    title: Translated
    phase: int | None
    count: int = Field(description="Submitted applications in this state now.")
    average_days: Days = Field(
        validation_alias=attribute_of("durations", "average_days"),
        description="Mean length of the stays that ended.",
    )
    p90_days: Days = Field(
        validation_alias=attribute_of("durations", "p90_days"),
        description="90th percentile of those stays (day buckets).",
    )
    stays: int = Field(
        validation_alias=attribute_of("durations", "count"),
        description="How many stays in this state ended.",
    )
    service_days: int | None = Field(description="The call's service time (one call only).")
    overdue: int = Field(description="Applications in this state longer than its service time.")


class DashboardWorkflowOut(ResponseModel):
    name: str
    title: Translated
    in_preparation: int = Field(description="Drafts never submitted: counted, not shown.")
    total: int
    states: list[DashboardStateOut]


class DashboardBreakdownOut(ResponseModel):
    key: str = Field(description="Province code, thematic area or S3 ecosystem; '' not stated.")
    label: Translated
    total: int
    in_progress: int
    positive: int = Field(description="In a state of positive outcome (label, grant...).")


class DashboardOverdueOut(ResponseModel):
    application_id: int
    title: str
    lead: str
    call_id: int
    state: str
    entered_at: Instant
    days: int
    service_days: int


class DashboardMeasureOut(ResponseModel):
    call_id: int
    title: str
    budget: Money = Field(description="A decimal string.")
    committed: Money
    remaining: Money


class DashboardOut(ResponseModel):
    # read from tracker.dashboards.figures.Figures (titles in English)

    by_state: dict[str, int] = Field(description="State name -> number of applications.")
    total: int
    call_id: int | None
    in_preparation: int = Field(description="Drafts never submitted (counted only).")
    overdue: int
    workflows: list[DashboardWorkflowOut]
    breakdowns: dict[str, list[DashboardBreakdownOut]] = Field(
        description="province, thematic_area, s3_ecosystem -> rows, largest first."
    )
    oldest_overdue: list[DashboardOverdueOut]
    measures: list[DashboardMeasureOut] = Field(description="Budget committed and available.")

    @classmethod
    def of(cls, figures: Figures) -> DashboardOut:
        call = figures.scope.call
        return cls.model_validate(
            with_fields(figures, by_state=figures.by_state(), call_id=call.id if call else None)
        )


class RegistryEntryOut(ResponseModel):
    # a row of tracker.labels.operations.registry_page (shared with the page and the exports)

    label_code: str
    title: str
    lead: str
    decree_number: str
    decree_date: dt.date
    partners_count: int
    provinces: list[str]
    thematic_area: str | None
    state: str
    application_id: int
    revoked: bool
    revoked_at: Instant | None = Field(None, description="When the label was revoked.")
    revocation_reason: str | None = Field(None, description="Why the label was revoked.")
    support_granted: Money = Field(
        "0.00",
        description="Total granted to this value chain by support measures (decimal string; "
        "withdrawn grants excluded).",
    )


class _Page(ResponseModel):
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, items: list, paging: PageRequest, total: int) -> Self:
        """One page of a list: ``items`` are records (or rows) the ``items`` model reads."""
        return cls.model_validate(
            {"items": items, "page": paging.page, "per_page": paging.per_page, "total": total}
        )


class WorkflowPage(_Page):
    items: list[WorkflowOut]


class OrganisationPage(_Page):
    items: list[OrganisationOut]


class CallPage(_Page):
    items: list[CallOut]


class ApplicationPage(_Page):
    items: list[ApplicationOut]


class RegistryPage(_Page):
    items: list[RegistryEntryOut]
