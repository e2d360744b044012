from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tracker.auth.models import User
from tracker.calls.models import Call, CallWindow, CommitteeMember, Criterion, DeadlineExtension
from tracker.columns import CENT
from tracker.database import flush
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.measures.rules import DEFAULT_LABEL_RULE, LABEL_RULES, STATE_AID_REGIMES
from tracker.reference import DGR_5899_AREAS, THEMATIC_AREAS
from tracker.signals import committee_appointed
from tracker.validation import Problems, is_id
from workflows import APPLICATION_WORKFLOWS, WORKFLOWS
from workflows.conditions import LAW_241_SUSPENSION_DAYS
from workflows.i18n import N_, Day

_KEY = re.compile(r"[a-z][a-z0-9_]{0,49}")


def require_officer(user: User) -> None:
    if not user.has_role("officer"):
        raise Forbidden("Only Region officers manage calls.", code="role_not_allowed")


def create_call(user: User, fields: dict[str, Any]) -> Call:
    """Open a call (or a phase-2 measure) with its window, rules and criteria."""
    require_officer(user)
    p = Problems()
    title = p.text("title", fields.get("title"), "Title", max_len=300)
    workflow = p.choice(
        "workflow", fields.get("workflow", "value_chain"), "Workflow", APPLICATION_WORKFLOWS
    )
    opens_at = p.date("opens_at", fields.get("opens_at"), "Opening date")
    deadline = p.date("deadline", fields.get("deadline"), "Deadline")
    if opens_at and deadline and deadline < opens_at:
        p["deadline"] = N_("The deadline must not come before the opening date.")
    call = Call(
        title=title,
        workflow=workflow,
        opens_at=opens_at,
        deadline=deadline,
        description=p.text("description", fields.get("description"), "Description", max_len=5000, required=False),
        act_reference=p.text("act_reference", fields.get("act_reference"), "Act reference", max_len=200, required=False),
        min_firms=p.integer("min_firms", fields.get("min_firms", 0), "Minimum firms", maximum=1000),
        min_reviews=p.integer("min_reviews", fields.get("min_reviews", 1), "Minimum reviews", minimum=1, maximum=50),
        score_threshold=p.decimal("score_threshold", fields.get("score_threshold", 0), "Score threshold"),
        lead_must_be_firm=_flag(p, "lead_must_be_firm", fields.get("lead_must_be_firm")),
        criteria_illustrative=_flag(p, "criteria_illustrative", fields.get("criteria_illustrative")),
        opens_at_illustrative=_flag(p, "opens_at_illustrative", fields.get("opens_at_illustrative")),
        integration_reply_days=_reply_days(p, fields.get("integration_reply_days")),
        report_interval_months=_report_interval(p, fields.get("report_interval_months")),
        created_by_id=user.id,
    )  # fmt: skip
    if workflow is not None and WORKFLOWS[workflow].measure_kind is not None:
        _measure_rules(p, call, fields)
    window = CallWindow(
        number=1, opens_at=opens_at, deadline=deadline, score_threshold=call.score_threshold,
        act_number=call.act_reference[:100] if call.act_reference else "",
        criteria_illustrative=call.criteria_illustrative,
        opens_at_illustrative=call.opens_at_illustrative, created_by_id=user.id,
    )  # fmt: skip
    _window_rules(p, call, window, fields, workflow)
    p.raise_if_any()
    call.windows = [window]
    db.session.add(call)
    flush()
    return call


def _window_rules(
    p: Problems, call: Call, window: CallWindow, fields: dict[str, Any], workflow: str | None
) -> None:
    """A window's criteria (none for a workflow without committee scoring, the HUB call), its
    threshold within their total and its thematic areas."""
    scored = workflow is None or WORKFLOWS[workflow].has_reviews
    raw_criteria = fields.get("criteria")
    window.criteria = _criteria(p, raw_criteria, call) if scored or raw_criteria else []
    maxima_valid = window.criteria and all(c.max_score for c in window.criteria)
    threshold = window.score_threshold
    if maxima_valid and threshold is not None and threshold > window.max_total:
        p["score_threshold"] = N_(
            "The threshold is above the highest possible score (%(max)s).", max=window.max_total
        )
    window.thematic_areas = _areas(p, fields.get("thematic_areas"))


def _areas(p: Problems, raw: Any) -> list[str]:
    """The thematic areas a window offers: codes of THEMATIC_AREAS (DGR 5899/2022's if none)."""
    if raw in (None, []):
        return list(DGR_5899_AREAS)
    if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
        p["thematic_areas"] = N_("A list of thematic area codes.")
        return []
    unknown = [a for a in raw if a not in THEMATIC_AREAS]
    if unknown:
        p["thematic_areas"] = N_("Unknown thematic areas: %(areas)s.", areas=", ".join(unknown))
    return list(dict.fromkeys(raw))


def _flag(p: Problems, name: str, value: Any) -> bool:
    """A yes/no rule of the call: absent means no."""
    if value in (None, False, True):
        return bool(value)
    p[name] = N_("Either true or false.")
    return False


def _reply_days(p: Problems, raw: Any) -> int | None:
    """The call's reply period for integration requests: 30 days unless it sets its own rule
    (Law 241/1990 art. 2 c. 7)."""
    raw = LAW_241_SUSPENSION_DAYS if raw in (None, "") else raw
    label = N_("Reply period for integration requests")
    return p.integer("integration_reply_days", raw, label, minimum=1, maximum=365)


def _report_interval(p: Problems, raw: Any) -> int | None:
    """Months between two monitoring reports (``tracker.reports``): yearly unless the call says."""
    raw = 12 if raw in (None, "") else raw
    label = N_("Months between monitoring reports")
    return p.integer("report_interval_months", raw, label, minimum=1, maximum=60)


def _measure_rules(p: Problems, call: Call, fields: dict[str, Any]) -> None:
    """A support measure's money and eligibility rules: a budget and a maximum grant above zero,
    the grant not above the budget, the bonus for recognised value chains (0 if none)."""
    call.budget = p.decimal("budget", fields.get("budget"), "Budget", minimum=CENT)
    call.max_grant = p.decimal("max_grant", fields.get("max_grant"), "Maximum grant", minimum=CENT)
    if call.budget is not None and call.max_grant is not None and call.max_grant > call.budget:
        p["max_grant"] = N_("The maximum grant cannot be above the measure's budget.")
    min_smes = fields.get("min_smes")
    call.min_smes = p.integer(
        "min_smes", 0 if min_smes in (None, "") else min_smes, "Minimum SMEs", maximum=1000
    )
    bonus = fields.get("label_bonus")
    call.label_bonus = p.decimal("label_bonus", 0 if bonus in (None, "") else bonus, "Label bonus")
    call.committed = Decimal(0)
    _spend_and_aid(p, call, fields)
    _label_rule(p, call, fields)


def _optional(fields: dict[str, Any], key: str) -> Any:
    value = fields.get(key)
    return None if value in (None, "") else value


def _spend_and_aid(p: Problems, call: Call, fields: dict[str, Any]) -> None:
    """The eligible spend range, the aid intensities by firm size (both or neither), the
    state-aid regime and whether a firm may hold one project only."""
    low, high = _optional(fields, "min_spend"), _optional(fields, "max_spend")
    call.min_spend = None if low is None else p.decimal("min_spend", low, "Minimum spend")
    call.max_spend = (
        None if high is None else p.decimal("max_spend", high, "Maximum spend", minimum=CENT)
    )
    low_set, high_set = call.min_spend is not None, call.max_spend is not None
    if low_set and high_set and call.min_spend > call.max_spend:
        p["max_spend"] = N_("The maximum spend cannot be below the minimum spend.")
    sme, large = _optional(fields, "sme_intensity"), _optional(fields, "large_intensity")
    if (sme is None) != (large is None):
        p["sme_intensity" if sme is None else "large_intensity"] = N_(
            "State the aid intensity for SMEs and for the other partners, or neither."
        )
    call.sme_intensity = None if sme is None else _percent(p, "sme_intensity", sme)
    call.large_intensity = None if large is None else _percent(p, "large_intensity", large)
    call.state_aid_regime = p.choice(
        "state_aid_regime",
        _optional(fields, "state_aid_regime"),
        "State-aid regime",
        STATE_AID_REGIMES,
        required=False,
    )
    one = fields.get("one_project_per_firm")
    one = False if one is None else one
    if not isinstance(one, bool):
        p["one_project_per_firm"] = N_("one_project_per_firm must be true or false.")
    call.one_project_per_firm = one is True


def _percent(p: Problems, key: str, value: Any) -> Decimal | None:
    share = p.decimal(key, value, "Aid intensity")
    if share is not None and share > 100:
        p[key] = N_("An aid intensity is a percentage, 0 to 100.")
    return share


def _label_rule(p: Problems, call: Call, fields: dict[str, Any]) -> None:
    """Who earns the bonus: a valid label when the evaluation closes (the default), or a
    value chain that applied to the EOI by one date and was recognised by another."""
    rule = p.choice(
        "label_rule",
        _optional(fields, "label_rule") or DEFAULT_LABEL_RULE,
        "Label rule",
        LABEL_RULES,
    )
    call.label_rule = rule
    if rule == "recognised_by_dates":
        for key, label in (
            ("label_applied_by", "Applied to the EOI by"),
            ("label_recognised_by", "Recognised by"),
        ):
            if _optional(fields, key) is None:
                p[key] = N_("This label rule needs both dates.")
            else:
                setattr(call, key, p.date(key, fields[key], label))


def _criteria(p: Problems, raw: Any, call: Call) -> list[Criterion]:
    if not isinstance(raw, list) or not raw:
        p["criteria"] = N_("At least one criterion, each with a key, a label and a maximum score.")
        return []
    out, seen = [], set()
    for i, item in enumerate(raw):
        where = f"criteria[{i}]"
        if not isinstance(item, dict):
            p[where] = N_("Each criterion is an object with key, label and max.")
            continue
        key = item.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            p[f"{where}.key"] = N_(
                "A key is lower-case letters, digits and underscores, starting with a letter."
            )
        elif key in seen:
            p[f"{where}.key"] = N_("The key '%(key)s' is used twice.", key=key)
        seen.add(key)
        label = p.text(f"{where}.label", item.get("label"), "Label", max_len=200)
        max_score = p.integer(
            f"{where}.max", item.get("max"), "Maximum score", minimum=1, maximum=1000
        )
        out.append(Criterion(call=call, key=key, label=label, max_score=max_score, position=i))
    return out


def extend_deadline(
    user: User,
    call: Call,
    new_deadline: Any,
    reason: str = "",
    act_number: Any = None,
    act_date: Any = None,
) -> DeadlineExtension:
    """Move the current window's deadline later (never into a window recorded after it) and
    keep the extension in the call's history, with the act that decided it when given."""
    require_officer(user)
    p = Problems()
    window = call.current_window
    previous = window.deadline if window is not None else call.deadline
    day = p.date("deadline", new_deadline, "New deadline")
    reason = p.text("reason", reason, "Reason", max_len=300, required=False)
    number, dated = _act(p, act_number, act_date)
    following = _window_after(call, window)
    if day is not None and day <= previous:
        p["deadline"] = N_("An extension must move the deadline after %(day)s.", day=Day(previous))
    elif day is not None and following is not None and day >= following.opens_at:
        p["deadline"] = N_(
            "Window %(number)s opens on %(day)s: the deadline must come before it.",
            number=following.number,
            day=Day(following.opens_at),
        )
    p.raise_if_any()
    extension = DeadlineExtension(
        call_id=call.id, previous_deadline=previous, new_deadline=day, reason=reason,
        act_number=number, act_date=dated, extended_by_id=user.id,
    )  # fmt: skip
    if window is not None:
        window.deadline = day
    call.deadline = max(day, call.deadline)  # the call's final deadline
    db.session.add(extension)
    flush()
    return extension


def _window_after(call: Call, window: CallWindow | None) -> CallWindow | None:
    later = [w for w in call.windows if window is not None and w.number > window.number]
    return later[0] if later else None


def _act(p: Problems, number: Any, day: Any) -> tuple[str, dt.date | None]:
    """An act's number ("DGR 1586/2023") and date, both optional; a date needs its number."""
    number = p.text("act_number", number, "Act number", max_len=100, required=False) or ""
    dated = None if day in (None, "") else p.date("act_date", day, "Act date")
    if dated is not None and not number:
        p["act_number"] = N_("Give the number of the act dated %(day)s.", day=Day(dated))
    return number, dated


def open_window(user: User, call: Call, fields: dict[str, Any]) -> CallWindow:
    """A new window of the call after its last one, with the rules an act set for the
    applications submitted from its opening day; from then on drafts are under it (they belong
    to the current window), while submitted applications keep theirs."""
    require_officer(user)
    p = Problems()
    last = call.windows[-1] if call.windows else None
    opens_at = p.date("opens_at", fields.get("opens_at"), "Opening date")
    deadline = p.date("deadline", fields.get("deadline"), "Deadline")
    if opens_at and last is not None and opens_at <= last.deadline:
        p["opens_at"] = N_(
            "A new window opens after the last one closes (%(day)s).", day=Day(last.deadline)
        )
    if opens_at and deadline and deadline < opens_at:
        p["deadline"] = N_("The deadline must not come before the opening date.")
    number, dated = _act(p, fields.get("act_number"), fields.get("act_date"))
    window = CallWindow(
        number=(last.number + 1) if last is not None else 1, opens_at=opens_at,
        deadline=deadline, act_number=number, act_date=dated,
        score_threshold=p.decimal("score_threshold", fields.get("score_threshold", 0), "Score threshold"),
        criteria_illustrative=_flag(p, "criteria_illustrative", fields.get("criteria_illustrative")),
        opens_at_illustrative=_flag(p, "opens_at_illustrative", fields.get("opens_at_illustrative")),
        created_by_id=user.id,
    )  # fmt: skip
    _window_rules(p, call, window, fields, call.workflow)
    p.raise_if_any()
    call.windows.append(window)
    call.deadline = window.deadline  # the call's final deadline
    flush()
    return window


def appoint_member(user: User, call: Call, member_id: Any) -> CommitteeMember:
    require_officer(user)
    if not is_id(member_id):
        raise ValidationFailed.fields({"user_id": N_("user_id must be a user's numeric id.")})
    member = db.session.get(User, member_id)
    if member is None:
        raise NotFound(N_("No user %(id)s.", id=member_id))
    if not member.has_role("reviewer"):
        raise ValidationFailed.fields(
            {"user_id": N_("%(email)s does not hold the reviewer role.", email=member.email)}
        )
    exists = select(CommitteeMember.id).where(
        CommitteeMember.call_id == call.id, CommitteeMember.user_id == member.id
    )
    if db.session.scalar(exists):
        raise Conflict(
            N_("%(email)s already sits on this committee.", email=member.email), code="duplicate"
        )
    row = CommitteeMember(call_id=call.id, user_id=member.id, appointed_by_id=user.id)
    db.session.add(row)
    flush()
    committee_appointed.send(CommitteeMember, member=row, user=user)
    return row


def get_call(call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound(N_("No call %(id)s.", id=call_id))
    return call


def open_calls(now: dt.datetime) -> list[Call]:
    calls = db.session.scalars(select(Call).order_by(Call.deadline.desc())).all()
    return [c for c in calls if c.is_open(now)]
