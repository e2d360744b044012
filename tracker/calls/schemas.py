"""The shapes of the calls API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictStr,
    model_serializer,
)

from tracker.api.schemas import (
    Amount,
    Day,
    Id,
    Instant,
    Money,
    Page,
    PatchModel,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
    with_fields,
)
from tracker.measures.rules import LABEL_RULES, STATE_AID_REGIMES
from tracker.reference import THEMATIC_AREAS
from workflows import APPLICATION_WORKFLOWS

if TYPE_CHECKING:
    from tracker.calls.models import Call


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
    lead_must_be_firm: StrictBool | None = Field(
        False, description="Only a firm may lead (condition lead_is_firm at submit and admit)."
    )
    criteria_illustrative: StrictBool | None = Field(
        False, description="The criteria stand in for ones the call's act does not publish."
    )
    opens_at_illustrative: StrictBool | None = Field(
        False, description="The opening day stands in for one the public record does not give."
    )
    integration_reply_days: Annotated[int, Field(strict=True)] | None = Field(
        None,
        description="Days the applicants have to answer an integration request: the default "
        "and the longest reply period (30 unless the call sets its own rule, Law 241/1990 "
        "art. 2 c. 7), 1 to 365.",
    )
    report_interval_months: Annotated[int, Field(strict=True)] | None = Field(
        None,
        description="Months between two monitoring reports: a recognised chain's periodic "
        "report from its label's decree, a funded project's progress report from its start "
        "(12 unless given), 1 to 60.",
    )
    criteria: list[CriterionIn] = Field(
        default_factory=list,
        description="At least one, for workflows whose committee scores applications.",
    )
    thematic_areas: list[StrictStr] | None = Field(
        None,
        description="The thematic areas its first window offers (codes: "
        + ", ".join(THEMATIC_AREAS)
        + "); DGR 5899/2022's five when absent.",
    )
    budget: Amount | None = Field(None, description="Support measures only.")
    max_grant: Amount | None = Field(None, description="Support measures only.")
    min_smes: Annotated[int, Field(strict=True)] | None = Field(
        None, description="Support measures only."
    )
    label_bonus: Amount | None = Field(None, description="Support measures only.")
    min_spend: Amount | None = Field(
        None, description="Support measures: the least eligible spend of a project (EUR)."
    )
    max_spend: Amount | None = Field(
        None, description="Support measures: the most eligible spend of a project (EUR)."
    )
    sme_intensity: Amount | None = Field(
        None,
        description="Support measures: aid intensity for SMEs, percent of eligible spend "
        "(with large_intensity, or neither: then requested_amount is entered, not computed).",
    )
    large_intensity: Amount | None = Field(
        None, description="Support measures: aid intensity for the other partners, percent."
    )
    state_aid_regime: StrictStr | None = choices(
        STATE_AID_REGIMES, "Support measures: the state-aid regime.", default=None
    )
    one_project_per_firm: StrictBool | None = Field(
        False, description="Support measures: a firm may take part in one project only."
    )
    label_rule: StrictStr | None = choices(
        LABEL_RULES, "Support measures: who earns label_bonus (default valid_at_closing).",
        default=None,
    )  # fmt: skip
    label_applied_by: Day | None = Field(
        None, description="recognised_by_dates: the value chain applied to the EOI by this day."
    )
    label_recognised_by: Day | None = Field(
        None, description="recognised_by_dates: and was recognised by this day."
    )


class DeadlineExtensionIn(PatchModel):
    """Moves the current window's deadline later; the extension is kept in the call's history,
    with the act that decided it when given."""

    deadline: Day
    reason: StrictStr | None = ""
    act_number: StrictStr | None = Field(
        None, description='The act that decided the extension, e.g. "DGR 1586/2023".'
    )
    act_date: Day | None = Field(None, description="The act's date (needs act_number).")


class WindowIn(RequestModel):
    """A new window of the call, after the current one closes: the rules an act set for the
    applications submitted from its opening (drafts move to it; submitted ones keep theirs)."""

    opens_at: Day
    deadline: Day
    score_threshold: Amount | None = Decimal(0)
    criteria: list[CriterionIn] = Field(
        default_factory=list,
        description="At least one, for workflows whose committee scores applications.",
    )
    thematic_areas: list[StrictStr] | None = Field(
        None, description="Codes of the thematic areas it offers; DGR 5899/2022's when absent."
    )
    act_number: StrictStr | None = Field(None, description='The act, e.g. "DGR 5377/2025".')
    act_date: Day | None = None
    criteria_illustrative: StrictBool | None = Field(
        False, description="The criteria stand in for ones the act does not publish."
    )
    opens_at_illustrative: StrictBool | None = Field(
        False, description="The opening day is a reading of the acts, not a date they give."
    )


class CommitteeMemberIn(RequestModel):
    user_id: Id


class CriterionOut(ResponseModel):
    key: str
    label: str
    max: int = Field(validation_alias=attribute_of("max_score"))


class DeadlineExtensionOut(ResponseModel):
    previous_deadline: dt.date
    new_deadline: dt.date
    reason: str
    act_number: str = Field(description="The act that decided it; '' when not recorded.")
    act_date: dt.date | None
    extended_at: Instant


class WindowOut(ResponseModel):
    """A window of a call and the version of the rules its applications are evaluated under."""

    id: int
    number: int = Field(description="1 for the first window, then 2, 3...")
    opens_at: dt.date
    deadline: dt.date
    score_threshold: Money = Field(description="A decimal string.")
    criteria: list[CriterionOut]
    thematic_areas: list[str] = Field(description="Codes of the thematic areas it offers.")
    act_number: str = Field(description="The act that set its rules; '' when not recorded.")
    act_date: dt.date | None
    criteria_illustrative: bool = Field(
        description="The criteria stand in for ones the act does not publish: illustrative."
    )
    opens_at_illustrative: bool
    current: bool = Field(
        validation_alias=attribute_of("is_current"),
        description="The window new applications belong to.",
    )


#: what only a support measure's answer carries
MEASURE_FIELDS = (
    "budget", "max_grant", "min_smes", "label_bonus", "committed", "remaining_budget",
    "measure_kind", "min_spend", "max_spend", "sme_intensity", "large_intensity",
    "state_aid_regime", "one_project_per_firm", "label_rule", "label_applied_by",
    "label_recognised_by",
)  # fmt: skip


class CallOut(ResponseModel):
    id: int
    title: str
    workflow: str
    description: str
    act_reference: str
    opens_at: dt.date
    deadline: dt.date = Field(
        validation_alias=attribute_of("current_window", "deadline"),
        description="The current window's deadline.",
    )
    min_firms: int
    min_reviews: int
    score_threshold: Money = Field(
        validation_alias=attribute_of("current_window", "score_threshold"),
        description="The current window's threshold: a decimal string.",
    )
    lead_must_be_firm: bool = Field(
        description="Only a firm may lead (condition lead_is_firm at submit and admit)."
    )
    criteria_illustrative: bool = Field(
        validation_alias=attribute_of("current_window", "criteria_illustrative"),
        description="The current window's criteria stand in for ones its act does not publish.",
    )
    opens_at_illustrative: bool = Field(
        description="The opening day stands in for one the public record does not give."
    )
    integration_reply_days: int = Field(
        description="The reply period of integration requests, in days (default and longest)."
    )
    report_interval_months: int = Field(description="Months between two monitoring reports.")
    criteria: list[CriterionOut] = Field(description="The current window's criteria.")
    thematic_areas: list[str] = Field(description="The current window's thematic areas.")
    windows: list[WindowOut] = Field(
        description="The call's windows, oldest first; deadline, criteria and score_threshold "
        "above are the last one's (the current)."
    )
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
    measure_kind: str | None = Field(
        None,
        description="Support measures only: ranked (a call with a ranking), rolling (first "
        "come, first served) or instrument (a financial instrument, not scored); its workflow.",
    )
    min_spend: Money | None = Field(None, description="Support measures only.")
    max_spend: Money | None = Field(None, description="Support measures only.")
    sme_intensity: Money | None = Field(None, description="Support measures only: percent.")
    large_intensity: Money | None = Field(None, description="Support measures only: percent.")
    state_aid_regime: str | None = Field(None, description="de_minimis or gber, or null.")
    one_project_per_firm: bool | None = Field(None, description="Support measures only.")
    label_rule: str | None = Field(None, description="Support measures only.")
    label_applied_by: dt.date | None = Field(None, description="Support measures only.")
    label_recognised_by: dt.date | None = Field(None, description="Support measures only.")

    @classmethod
    def of(cls, call: Call) -> CallOut:
        return cls.model_validate(with_fields(call, committee=[m.user_id for m in call.committee]))

    @model_serializer(mode="wrap")
    def _measure_fields_for_measures_only(self, handler: SerializerFunctionWrapHandler):
        out = handler(self)
        if APPLICATION_WORKFLOWS[self.workflow].measure_kind is None:
            for name in MEASURE_FIELDS:
                out.pop(name, None)
        return out


class CommitteeMemberOut(ResponseModel):
    call_id: int
    user_id: int
    email: str = Field(validation_alias=attribute_of("user", "email"))
    name: str = Field(validation_alias=attribute_of("user", "name"))
    appointed_at: Instant


class CallPage(Page):
    items: list[CallOut]
