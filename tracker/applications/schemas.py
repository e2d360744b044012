"""The shapes of the applications API: bodies and answers (see ``tracker.api.schemas`` for the
rules)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import (
    Field,
    StrictBool,
    StrictStr,
)

from tracker.api.schemas import (
    Amount,
    Id,
    Instant,
    Loaded,
    Money,
    OptionOut,
    Page,
    PatchModel,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
    with_fields,
)
from tracker.applications.operations import available_transitions
from tracker.ateco import SECTIONS
from tracker.labels.schemas import LabelOut
from tracker.measures.grant import compute as compute_grant
from tracker.reference import S3_ECOSYSTEMS, THEMATIC_AREAS

if TYPE_CHECKING:
    from tracker.applications.models import Application, Partner
    from tracker.auth.models import User


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
    thematic_area: StrictStr | None = choices(
        THEMATIC_AREAS,
        "The first of thematic_areas (sent alone: sets the first area).",
        default=None,
    )
    thematic_areas: list[StrictStr] | None = Field(
        None,
        description="The thematic areas it names, the main one first; each among its call "
        "window's areas (422 otherwise).",
    )
    ateco_section: StrictStr | None = choices(
        SECTIONS, "Its sector: an ATECO 2025 section letter.", default=None
    )
    s3_ecosystem: StrictStr | None = choices(S3_ECOSYSTEMS, default=None)
    concept_note: ConceptNote | None = None
    lead_organisation_id: Id | None = Field(
        None, description="The caller's organisation (the default): the lead partner."
    )
    lead_role: StrictStr | None = Field(
        None, max_length=200, description="The lead partner's role (default: capofila)."
    )
    requested_amount: Amount | None = Field(
        None,
        description="Support measures stating aid intensities compute it from the partners' "
        "eligible spend: leave it out (a value other than the computed one is a 422). Other "
        "measures: the amount asked.",
    )
    eligible_spend: Amount | None = Field(
        None, description="Support measures: the lead partner's eligible spend."
    )
    value_chain_id: Id | None = None


class ApplicationPatch(PatchModel):
    """Only the keys sent change; ``version`` (optional) refuses the change with 409 if stale."""

    title: StrictStr | None = None
    thematic_area: StrictStr | None = choices(
        THEMATIC_AREAS,
        "The first of thematic_areas (sent alone: sets the first area).",
        default=None,
    )
    thematic_areas: list[StrictStr] | None = Field(
        None,
        description="The thematic areas it names, the main one first; each among its call "
        "window's areas (422 otherwise).",
    )
    ateco_section: StrictStr | None = choices(
        SECTIONS, "Its sector: an ATECO 2025 section letter.", default=None
    )
    s3_ecosystem: StrictStr | None = choices(S3_ECOSYSTEMS, default=None)
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
    eligible_spend: Amount | None = Field(
        None, description="Support measures: the partner's eligible spend (EUR)."
    )


class PartnerSpendIn(PatchModel):
    """A partner's eligible spend; the partner's other fields may be sent back unchanged."""

    eligible_spend: Amount | None = Field(
        description="The partner's eligible spend (EUR); null: not stated."
    )


class AgreementIn(RequestModel):
    signed: StrictBool = Field(
        description="true: all partners signed the project agreement; false takes it back."
    )


def _of_organisation(name: str) -> Any:
    return Field(validation_alias=attribute_of("organisation", name))


_PARTNER_READ = Loaded("organisation_id", "organisation", "role", "commitments", "eligible_spend")
_ORGANISATION_READ = Loaded("name", "vat_number", "kind", "size", "province", "lombardy_seat")


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
    eligible_spend: Money | None = Field(
        None, description="Support measures: the partner's eligible spend; null if not stated."
    )

    @classmethod
    def fields_of(cls, partner: Partner, app: Application) -> dict[str, Any]:
        """``partner`` of ``app`` as the plain fields this model validates, read from the rows
        loaded (``Loaded``): what an application's answer holds of each partner, at a third of
        the cost of validating the partner's attributes. tests/api/test_api_list_answers.py keeps
        it equal to ``model_validate(partner)``."""
        organisation_id, organisation, role, commitments, spend = _PARTNER_READ(partner)
        name, vat_number, kind, size, province, lombardy_seat = _ORGANISATION_READ(organisation)
        return {
            "organisation_id": organisation_id, "name": name, "vat_number": vat_number,
            "kind": kind, "size": size, "province": province, "lombardy_seat": lombardy_seat,
            "role": role, "commitments": commitments,
            "lead": app.led_by(organisation_id), "eligible_spend": spend,
        }  # fmt: skip


class GrantLineOut(ResponseModel):
    organisation_id: int = Field(validation_alias=attribute_of("partner", "organisation_id"))
    name: str = Field(validation_alias=attribute_of("partner", "organisation", "name"))
    sme: bool = Field(description="The SME intensity applies (a firm declaring an SME size).")
    spend: Money
    intensity: Money = Field(description="Percent of the spend.")
    aid: Money = Field(description="spend x intensity / 100, to the cent.")


class GrantComputationOut(ResponseModel):
    """How ``requested_amount`` is computed under a measure stating aid intensities."""

    lines: list[GrantLineOut]
    spend: Money = Field(description="The partners' eligible spend added up.")
    uncapped: Money = Field(description="The lines' aid added up.")
    cap: Money | None = Field(description="The measure's maximum grant.")
    amount: Money = Field(description="The lesser of uncapped and cap: the grant asked.")


class ConceptNoteOut(ResponseModel):
    challenges: str
    needs: str
    objectives: str
    actions: str
    investments: str


class WindowRefOut(ResponseModel):
    """Which window (version of the criteria, threshold and areas) an application is under."""

    id: int
    number: int
    act_number: str = Field(description="The act that set the window's rules; '' if unknown.")
    act_date: dt.date | None
    criteria_illustrative: bool


class IntegrationOut(ResponseModel):
    """The committee's question while it awaits the applicants' answer."""

    question: str
    requested_at: Instant
    reply_by: dt.date = Field(description="The last day to reply.")
    overdue: bool = Field(description="The reply date has passed without a resubmission.")


class ApplicationOut(ResponseModel):
    id: int
    call_id: int
    workflow: str
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))
    phase: int | None
    version: int
    title: str
    thematic_area: str | None = Field(description="The first of thematic_areas, or null.")
    thematic_areas: list[str] = Field(description="The thematic areas it names, main first.")
    ateco_section: str | None = Field(description="Its sector: an ATECO 2025 section letter.")
    window: WindowRefOut | None = Field(
        validation_alias=attribute_of("rules_window"),
        description="The call window it is evaluated under: the one it was submitted in, the "
        "current one while a draft.",
    )
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
    requested_amount: Money | None = Field(
        description="A decimal string, or null. Under a measure stating aid intensities, the "
        "grant computed from the partners' spend (see grant_computation)."
    )
    grant_computation: GrantComputationOut | None = Field(
        None,
        description="Support measures stating aid intensities: each partner's spend times the "
        "intensity for its size, added up and capped at the maximum grant.",
    )
    eligible_spend_total: Money | None = Field(
        None, description="Support measures: the partners' eligible spend added up."
    )
    cup: str | None = Field(
        None, description="Support measures: the project's CUP code, recorded with the grant."
    )
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
    integration: IntegrationOut | None = Field(
        validation_alias=attribute_of("pending_integration"),
        description="While an integration is pending (the procedural clock is suspended); "
        "null otherwise.",
    )
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
                partners=[PartnerOut.fields_of(p, app) for p in app.partners],
                grant_computation=compute_grant(app) if app.call.is_measure else None,
                available_transitions=available_transitions(viewer, app),
            )
        )


class ApplicationPage(Page):
    items: list[ApplicationOut]
    total_is_lower_bound: bool = Field(
        default=False,
        description="true: total is a lower bound, a text search (q) matched more than total "
        "applications. A text search counts at most 1,000 matches and pages through those "
        "first 1,000 only (add words to narrow it). false: total is exact.",
    )

    @classmethod
    def of(cls, items: list, paging, total: int, *, total_is_lower_bound: bool = False):
        page = super().of(items, paging, total)
        page.total_is_lower_bound = total_is_lower_bound
        return page


# --- bulk partners (tracker.applications.partner_import) ----------------------------------------


class ImportRowOut(ResponseModel):
    row: int = Field(description="The row in the file (the header is row 1).")
    name: str
    vat_number: str
    status: str = Field(
        description="add (it will be, or was, added), skip (already a partner, or a change "
        "about it is open), error (see problems)."
    )
    organisation_id: int | None = Field(description="The registered organisation, if any.")
    new_organisation: bool = Field(description="It will be, or was, registered from the row.")
    change_id: int | None = Field(description="The join change opened for it (a chain).")
    problems: list[str]
    notes: list[str]


class ImportCountsOut(ResponseModel):
    rows: int
    to_add: int
    skipped: int
    errors: int


class PartnerImportOut(ResponseModel):
    mode: str = Field(
        description="partners (added to the partnership) or join_changes (one join change "
        "per new organisation, for the Region to acknowledge)."
    )
    applied: bool = Field(description="False for a dry run: nothing was written.")
    counts: ImportCountsOut
    rows: list[ImportRowOut]

    @classmethod
    def of(cls, report) -> PartnerImportOut:
        from tracker.applications.partner_import import row_details

        return cls(
            mode=report.mode,
            applied=report.applied,
            counts=ImportCountsOut(
                rows=len(report.rows),
                to_add=report.count("add"),
                skipped=report.count("skip"),
                errors=report.count("error"),
            ),
            rows=[ImportRowOut(**row_details(r)) for r in report.rows],
        )


# --- bulk decisions (tracker.applications.bulk) --------------------------------------------------


class BulkTransitionIn(RequestModel):
    ids: list[Id] = Field(
        description="The applications, in the order they are decided: at least one, at most "
        "500, none twice.",
        examples=[[12, 15, 17]],
    )
    trigger: StrictStr = Field(examples=["grant_label"])
    comment: StrictStr | None = ""
    data: dict[str, Any] | None = Field(
        None,
        description="What the trigger needs, typed once for all, e.g. {decree_number, "
        "decree_date} for grant_label.",
    )
    versions: dict[str, Id] | None = Field(
        None,
        description="Optional: the version of each application (by id) the client saw; an "
        "application changed since answers 409 stale_version in its result.",
        examples=[{"12": 4}],
    )

    def version_map(self) -> dict[int, int]:
        from tracker.errors import ValidationFailed
        from workflows.i18n import N_

        out = {}
        for key, version in (self.versions or {}).items():
            if not key.isdecimal() or int(key) not in self.ids:
                raise ValidationFailed.fields(
                    {f"versions.{key}": N_("Give versions only of the selected applications.")}
                )
            out[int(key)] = version
        return out


class BulkErrorOut(ResponseModel):
    code: str = Field(examples=["conditions_unmet"])
    message: str
    details: Any = Field(description="As in the API's errors: null, {fields}, {unmet}...")


class BulkItemOut(ResponseModel):
    id: int
    status: int = Field(
        description="As the single transition would answer: 200 done; 403 not the caller's "
        "role; 404 no such application, or one the caller may not see; 409 not from its state, "
        "or changed since the version sent; 422 its conditions unmet.",
        examples=[200],
    )
    state: str | None = Field(
        description="Its state after the request (null when answered 404).",
        examples=["label_granted"],
    )
    error: BulkErrorOut | None = Field(description="The refusal, in the API's error shape.")

    @classmethod
    def of(cls, result) -> BulkItemOut:
        import json

        error = None
        if result.error is not None:
            # plain JSON: the refusal's sentences are English Text objects until sent
            error = BulkErrorOut(
                **json.loads(json.dumps(result.error.as_json()["error"], default=str))
            )
        return cls(id=result.id, status=result.status, state=result.state, error=error)


class BulkTransitionOut(ResponseModel):
    results: list[BulkItemOut]
