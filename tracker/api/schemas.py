"""The shapes the API reads and writes, as pydantic models.

Request models check the *shape* of a body (types, required keys); the operations check the
*values* (VAT check digit, choices, ranges, dates) so that pages and API refuse the same things
with the same words. Unknown keys are ignored: a workflow ignores the fields it does not use.

Response models describe what ``tracker.api.serialize`` writes. They feed the OpenAPI document,
and the tests validate real answers against them, so the description cannot drift from the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from tracker.organisations.models import KINDS, SIZES
from tracker.params import MAX_ID
from tracker.reference import S3_ECOSYSTEMS, THEMATIC_AREAS
from tracker.reviews.models import RECOMMENDATIONS
from workflows import APPLICATION_WORKFLOWS

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


REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    OrganisationIn,
    CallIn,
    DeadlineExtensionIn,
    CommitteeMemberIn,
    ApplicationIn,
    ApplicationPatch,
    PartnerIn,
    AgreementIn,
    TransitionIn,
    ReviewIn,
)


# --- responses --------------------------------------------------------------------------------


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
    roles: list[str]
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


class CriterionOut(ResponseModel):
    key: str
    label: str
    max: int


class DeadlineExtensionOut(ResponseModel):
    previous_deadline: dt.date
    new_deadline: dt.date
    reason: str
    extended_at: dt.datetime


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
    score_threshold: str = Field(description="A decimal string.")
    criteria: list[CriterionOut]
    deadline_extensions: list[DeadlineExtensionOut]
    committee: list[int] = Field(description="User ids of the evaluation committee.")
    budget: str | None = Field(None, description="Support measures only.")
    max_grant: str | None = Field(None, description="Support measures only.")
    min_smes: int | None = Field(None, description="Support measures only.")
    label_bonus: str | None = Field(None, description="Support measures only.")
    committed: str | None = Field(
        None, description="Support measures only: the budget held by grants."
    )
    remaining_budget: str | None = Field(
        None, description="Support measures only: the budget not yet committed."
    )


class CommitteeMemberOut(ResponseModel):
    call_id: int
    user_id: int
    email: str
    name: str
    appointed_at: dt.datetime


class PartnerOut(ResponseModel):
    organisation_id: int
    name: str
    vat_number: str
    kind: str
    size: str | None
    province: str | None
    lombardy_seat: bool
    role: str
    commitments: str
    lead: bool


class UnmetOut(ResponseModel):
    condition: str = Field(examples=["min_lombardy_firms"])
    message: str


class OptionDataOut(ResponseModel):
    name: str
    label: str
    kind: Literal["text", "date", "id", "amount"]
    required: bool = True


class OptionOut(ResponseModel):
    trigger: str
    label: str
    dest: str
    allowed: bool
    unmet: list[UnmetOut]
    comment_required: bool
    data: list[OptionDataOut]


class LabelOut(ResponseModel):
    code: str
    decree_number: str
    decree_date: dt.date
    revoked: bool


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
    state_title: str
    phase: int | None
    version: int
    title: str
    thematic_area: str | None
    s3_ecosystem: str | None
    concept_note: ConceptNoteOut
    lead_organisation_id: int
    lead_organisation: str = Field(description="The lead partner's name.")
    partners: list[PartnerOut]
    agreement_signed: bool
    agreement_signed_at: dt.datetime | None
    requested_amount: str | None = Field(description="A decimal string, or null.")
    value_chain_id: int | None
    score: str | None = Field(
        description="A decimal string; null until evaluated. For a support measure, the total: "
        "base_score plus label_bonus_applied."
    )
    base_score: str | None = Field(
        None,
        description="Support measures: the committee's average before the quality-label bonus "
        "(the threshold applies to it); null until the evaluation is closed.",
    )
    label_bonus_applied: str | None = Field(
        None,
        description="Support measures: the bonus added when the evaluation closed (0 when the "
        "value chain held no valid label then).",
    )
    granted_amount: str | None = Field(
        None, description="Support measures: the amount granted (at most the amount requested)."
    )
    label: LabelOut | None
    submitted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    available_transitions: list[OptionOut] = Field(
        description="Every transition from the current state, as the caller sees it."
    )


class HistoryOut(ResponseModel):
    at: dt.datetime
    actor: str | None = Field(description="The email of who fired the trigger.")
    trigger: str
    from_state: str
    to_state: str
    comment: str
    data: dict[str, Any]


class ReviewOut(ResponseModel):
    id: int
    application_id: int
    reviewer_id: int
    reviewer: str
    scores: dict[str, int]
    total: int
    recommendation: str
    comment: str
    submitted_at: dt.datetime


class DashboardStateOut(ResponseModel):
    state: str
    title: str
    phase: int | None
    count: int = Field(description="Submitted applications in this state now.")
    average_days: float | None = Field(description="Mean length of the stays that ended.")
    p90_days: float | None = Field(description="90th percentile of those stays (day buckets).")
    stays: int = Field(description="How many stays in this state ended.")
    service_days: int | None = Field(description="The call's service time (one call only).")
    overdue: int = Field(description="Applications in this state longer than its service time.")


class DashboardWorkflowOut(ResponseModel):
    name: str
    title: str
    in_preparation: int = Field(description="Drafts never submitted: counted, not shown.")
    total: int
    states: list[DashboardStateOut]


class DashboardBreakdownOut(ResponseModel):
    key: str = Field(description="Province code, thematic area or S3 ecosystem; '' not stated.")
    label: str
    total: int
    in_progress: int
    positive: int = Field(description="In a state of positive outcome (label, grant...).")


class DashboardOverdueOut(ResponseModel):
    application_id: int
    title: str
    lead: str
    call_id: int
    state: str
    entered_at: dt.datetime
    days: int
    service_days: int


class DashboardMeasureOut(ResponseModel):
    call_id: int
    title: str
    budget: str = Field(description="A decimal string.")
    committed: str
    remaining: str


class DashboardOut(ResponseModel):
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


class RegistryEntryOut(ResponseModel):
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
    revoked_at: dt.datetime | None = Field(None, description="When the label was revoked.")
    revocation_reason: str | None = Field(None, description="Why the label was revoked.")
    support_granted: str = Field(
        "0.00",
        description="Total granted to this value chain by support measures (decimal string; "
        "withdrawn grants excluded).",
    )


class _Page(ResponseModel):
    page: int
    per_page: int
    total: int


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
