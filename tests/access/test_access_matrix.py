"""Every page and endpoint of the app, asked by every kind of person: who gets it (200), who is
sent to log in, who is refused (401, 403) and what does not exist for them (404), guessed ids
included. A refused request changes nothing: every row of every table is compared before and
after. A route added to the app without a row here fails ``test_every_route_is_in_the_matrix``.

Columns, in order (tests/access/accessworld.py builds them):

    str   stranger, not logged in        rev   reviewer on the call's committee
    lead  the partnership's lead          conf  committee member whose firm is a partner
    part  staff of another partner        outr  reviewer not on the committee
    oth   applicant of another            off   officer   coor  coordinator
          partnership                     brd   board     adm   admin

Outcomes: ``L`` redirect to the login page, ``R`` another redirect, otherwise the status code.
Where a person is let through, a POST sends ``probe`` (an input the operation refuses, so
nothing changes: a 4xx that is not an access refusal shows access was granted); where refused,
it sends ``body``, a request that would change something were it allowed.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from typing import Any

from accessworld import PDF, ROLES, AccessWorld, start_session
from sqlalchemy import select

from tracker.auth.models import USE_BOOKKEEPING
from tracker.extensions import db

REFUSALS = {"L", "401", "403", "404"}
#: change only the asker's own session, cookie or language: nothing to compare
CHANGES_NOTHING_STORED = {"auth.login", "language.switch", "auth.logout"}
SKIP = "-"  # not asked (logging in again and again trips the rate limit)
API = "/api/v1"


@dataclass
class Case:
    endpoint: str
    method: str
    path: str  # formatted with the world's ids: {application}, {draft}, {agreement}...
    expect: str  # one outcome per role, in ROLES order
    body: dict[str, Any] | None = None
    probe: dict[str, Any] | None = None
    kind: str = "form"  # form, json or file
    note: str = ""
    outcomes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.outcomes = tuple(self.expect.split())
        assert len(self.outcomes) == len(ROLES), (self.endpoint, self.expect)


def pdf(name="signed.pdf", content=PDF):
    return {"file": (content, name, "application/pdf")}


NOT_PDF = {"file": (b"<html>not a pdf</html>", "signed.pdf", "application/pdf")}
TRANSITION = {"trigger": "close_evaluation", "comment": "Closed.", "confirm": "y"}
BAD_TRIGGER = {"trigger": "no_such_trigger"}
CLOSE = {"trigger": "close", "comment": "The partners ended their programme.", "confirm": "y"}
CLOSE_WITHOUT_REASON = {"trigger": "close", "comment": "", "confirm": "y"}
DECREE = {"decree_number": "15907", "decree_date": "2023-11-10"}
#: a label granted on an application under evaluation: refused item by item, whoever asks
BULK_API = {
    "ids": ("{application}", "{other_draft}", "{missing}"),
    "trigger": "grant_label",
    "data": DECREE,
}
BULK_GRANT = {
    "ids": ["{application}"],
    "trigger": "grant_label",
    "confirm": "y",
    "data-decree_number": "15907",
    "data-decree_date": "2023-11-10",
}
PARTNERS_CSV = {
    "file": (
        b"name,vat,kind,size,province\nNew Srl,01234567897,firm,small,BS\n",
        "partners.csv",
        "text/csv",
    )
}
NOT_A_TABLE = {"file": (b"just words\n", "partners.csv", "text/csv")}
SCORES = {"score_coherence": "30", "score_impact": "50", "recommendation": "favourable"}
BAD_SCORES = {"score_coherence": "999", "score_impact": "-1", "recommendation": "favourable"}

# fmt: off
CASES = [
    # --- public pages ---------------------------------------------------------------------
    Case("home.index", "GET", "/", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("registry.index", "GET", "/registry", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("workflows.index", "GET", "/workflows", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("workflows.detail", "GET", "/workflows/value_chain", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("static", "GET", "/static/style.css", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("auth.login", "GET", "/login", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("auth.login", "POST", "/login", "422 - - - - - - - - - -",
         probe={"email": "nobody@example.org", "password": "wrong"}, note="rate-limited: once"),
    Case("language.switch", "POST", "/language", "R R R R R R R R R R R",
         probe={"language": "en", "next": "/"}),
    # --- applications: pages --------------------------------------------------------------
    Case("applications.index", "GET", "/applications", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("applications.detail", "GET", "/applications/{application}",
         "L 200 200 403 200 200 403 200 403 403 403"),
    Case("applications.detail", "GET", "/applications/{other_draft}",
         "L 403 403 200 403 403 403 403 403 403 403", note="another partnership's draft"),
    Case("applications.detail", "GET", "/applications/{missing}",
         "L 404 404 404 404 404 404 404 404 404 404", note="a guessed id"),
    Case("applications.new", "GET", "/applications/new?call_id={call}",
         "L 200 200 200 200 200 200 200 200 200 200", note="an empty form: saving it is refused"),
    Case("applications.new", "POST", "/applications/new?call_id={call}",
         "L 422 422 422 403 403 403 403 403 403 403",
         body={"title": "Hijack", "thematic_area": "sustainability"}, probe={"title": ""}),
    Case("applications.edit", "GET", "/applications/{draft}/edit",
         "L 200 403 403 403 403 403 403 403 403 403"),
    Case("applications.edit", "POST", "/applications/{draft}/edit",
         "L 422 403 403 403 403 403 403 403 403 403",
         body={"title": "Rewritten by someone else"}, probe={"title": ""}),
    Case("applications.delete", "GET", "/applications/{draft}/delete",
         "L 200 403 403 403 403 403 403 403 403 403", note="the confirmation page"),
    Case("applications.delete", "POST", "/applications/{application}/delete",
         "L 409 403 403 403 403 403 403 403 403 403", note="submitted: never deleted"),
    Case("applications.add_partner_view", "POST", "/applications/{draft}/partners",
         "L 422 403 403 403 403 403 403 403 403 403",
         body={"organisation_id": "{other_org}", "role": "Partner"}, probe={"organisation_id": "", "role": ""}),
    Case("applications.remove_partner_view", "POST", "/applications/{application}/partners/{partner_org}/remove",
         "L 409 403 403 403 403 403 403 403 403 403", body={}, probe={}),
    Case("applications.partner_spend_view", "POST", "/applications/{application}/partners/{partner_org}/spend",
         "L 409 403 403 403 403 403 403 403 403 403",
         body={"eligible_spend": "100000"}, probe={"eligible_spend": "100000"}),
    Case("applications.agreement", "POST", "/applications/{draft}/agreement",
         "L R 403 403 403 403 403 403 403 403 403",
         body={"signed": "yes"}, probe={"signed": "no"}),
    Case("applications.review", "POST", "/applications/{application}/reviews",
         "L 403 403 403 409 403 403 403 403 403 403", body=SCORES, probe=BAD_SCORES,
         note="the reviewer has reviewed it already"),
    Case("applications.transition", "POST", "/applications/{application}/transitions",
         "L 403 403 403 422 403 403 422 403 403 403", body=TRANSITION, probe=BAD_TRIGGER),
    # bulk decisions (issue 14): each item answers for itself (tests/access/test_bulk_access.py)
    Case("applications.bulk_decision", "GET",
         "/applications/bulk?trigger=grant_label&ids={application}&ids={missing}",
         "L 200 200 200 200 200 200 200 200 200 200",
         note="the confirmation: an item one may not see shows as missing"),
    Case("applications.bulk_decision", "POST", "/applications/bulk",
         "L 422 422 422 422 422 422 422 422 422 422", body=BULK_GRANT,
         probe={**BULK_GRANT, "confirm": ""}, note="not confirmed: nothing done, nothing kept"),
    Case("applications.bulk_result", "GET", "/applications/bulk/{missing}",
         "L 404 404 404 404 404 404 404 404 404 404", note="its author alone reads one"),
    # --- reviews and declarations (issue 14) ------------------------------------------------
    Case("applications.edit_review", "GET", "/applications/{application}/reviews/{review}/edit",
         "L 403 403 403 200 403 403 403 403 403 403", note="its author alone"),
    Case("applications.edit_review", "POST", "/applications/{application}/reviews/{review}/edit",
         "L 403 403 403 422 403 403 403 403 403 403", body=SCORES, probe=BAD_SCORES),
    Case("applications.edit_review", "GET", "/applications/{application}/reviews/{missing}/edit",
         "L 404 404 403 404 404 403 404 403 403 403", note="a guessed review"),
    Case("applications.declaration", "POST", "/applications/{application}/declaration",
         "L 403 403 403 409 403 403 403 403 403 403", body={"conflict": "no"},
         probe={"conflict": "yes", "reason": ""},
         note="the reviewer declared before acting; a partner's member has nothing to declare"),
    # --- the signed agreement ------------------------------------------------------------
    Case("documents.upload", "POST", "/applications/{draft}/agreement/documents",
         "L 422 403 403 403 403 403 403 403 403 403", body=pdf(), probe=NOT_PDF, kind="file"),
    Case("documents.upload", "POST", "/applications/{application}/agreement/documents",
         "L 409 403 403 403 403 403 403 403 403 403", body=pdf(), probe=pdf(), kind="file",
         note="submitted: no longer the lead's to change"),
    Case("documents.download", "GET", "/applications/{application}/agreement/documents/{agreement}",
         "L 200 200 403 200 403 403 200 403 403 403"),
    Case("documents.download", "GET", "/applications/{application}/agreement/documents/{other_agreement}",
         "L 404 404 403 404 403 403 404 403 403 403", note="another partnership's file, guessed"),
    Case("documents.download", "GET", "/applications/{other_draft}/agreement/documents/{other_agreement}",
         "L 403 403 200 403 403 403 403 403 403 403", note="another partnership's draft"),
    # --- annexes and the dossier (issue 14, item 5) ------------------------------------------
    Case("annexes.upload", "POST", "/applications/{draft}/annexes/{annex}",
         "L 422 403 403 403 403 403 403 403 403 403", body=pdf(), probe=NOT_PDF, kind="file"),
    Case("annexes.upload", "POST", "/applications/{application}/annexes/{annex}",
         "L 409 403 403 403 403 403 403 403 403 403", body=pdf(), probe=pdf(), kind="file",
         note="submitted: no longer the lead's to change"),
    Case("annexes.download", "GET", "/applications/{application}/annexes/documents/{annex_document}",
         "L 200 200 403 200 403 403 200 403 403 403"),
    Case("annexes.download", "GET", "/applications/{application}/annexes/documents/{other_annex_document}",
         "L 404 404 403 404 403 403 404 403 403 403", note="another partnership's file, guessed"),
    Case("annexes.dossier_pdf", "GET", "/applications/{application}/dossier.pdf",
         "L 200 200 403 200 403 403 200 403 403 403"),
    Case("annexes.dossier_pdf", "GET", "/applications/{other_draft}/dossier.pdf",
         "L 403 403 200 403 403 403 403 403 403 403", note="another partnership's draft"),
    Case("annexes.add", "POST", "/calls/{call}/annexes", "L 403 403 403 403 403 403 422 403 403 403",
         body={"name": "Hijack", "formats": "pdf", "max_mb": "1"}, probe={"name": "", "max_mb": "1"}),
    Case("annexes.set_required", "POST", "/calls/{call}/annexes/{annex}/required",
         "L 403 403 403 403 403 403 422 403 403 403", body={"required": "yes"},
         probe={"required": "perhaps"}),
    Case("annexes.remove", "POST", "/calls/{call}/annexes/{annex}/remove",
         "L 403 403 403 403 403 403 409 403 403 403", body={}, probe={},
         note="uploaded already: kept"),
    Case("api.list_call_annexes", "GET", "/api/v1/calls/{call}/annexes",
         "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.post_call_annex", "POST", "/api/v1/calls/{call}/annexes",
         "401 403 403 403 403 403 403 422 403 403 403",
         body={"name": "Hijack", "max_bytes": 1000}, probe={"name": "", "max_bytes": 1000}, kind="json"),
    Case("api.patch_call_annex", "PATCH", "/api/v1/calls/{call}/annexes/{annex}",
         "401 403 403 403 403 403 403 422 403 403 403",
         body={"required": True}, probe={"max_bytes": 0}, kind="json"),
    Case("api.delete_call_annex", "DELETE", "/api/v1/calls/{call}/annexes/{annex}",
         "401 403 403 403 403 403 403 409 403 403 403", kind="json", note="uploaded already: kept"),
    Case("api.list_application_annexes", "GET", "/api/v1/applications/{application}/annexes",
         "401 200 200 403 200 403 403 200 403 403 403"),
    Case("api.upload_application_annex", "POST", "/api/v1/applications/{draft}/annexes/{annex}",
         "401 422 403 403 403 403 403 403 403 403 403", body=pdf(), probe=NOT_PDF, kind="file"),
    Case("api.download_application_annex", "GET",
         "/api/v1/applications/{application}/annexes/documents/{annex_document}",
         "401 200 200 403 200 403 403 200 403 403 403"),
    Case("api.application_dossier", "GET", "/api/v1/applications/{application}/dossier.pdf",
         "401 200 200 403 200 403 403 200 403 403 403"),
    # --- integration requests (issue 14): the lead replies; a reply in progress is the
    # partners' own until the resubmission carries it to the committee ----------------------
    Case("integrations.reply", "POST", "/applications/{asked}/integration/reply",
         "L 422 403 403 403 403 403 403 403 403 403", body={"reply": "Hijack"}, probe={"reply": ""}),
    Case("integrations.upload", "POST", "/applications/{asked}/integration/documents",
         "L 422 403 403 403 403 403 403 403 403 403", body=pdf(), probe=NOT_PDF, kind="file"),
    Case("integrations.remove", "POST", "/applications/{asked}/integration/documents/{missing}/remove",
         "L 404 403 403 403 403 403 403 403 403 403", body={}, probe={}),
    Case("integrations.download", "GET", "/applications/{asked}/integration/documents/{reply_document}",
         "L 200 200 403 404 403 403 404 403 403 403", note="the committee sees it once resubmitted"),
    Case("integrations.versions", "GET", "/applications/{application}/versions",
         "L 200 200 403 200 200 403 200 403 403 403"),
    Case("api.list_integration_requests", "GET", "/api/v1/applications/{asked}/integration-requests",
         "401 200 200 403 200 200 403 200 403 403 403"),
    Case("api.put_integration_reply", "PUT", "/api/v1/applications/{asked}/integration/reply",
         "401 422 403 403 403 403 403 403 403 403 403",
         body={"reply": "Hijack"}, probe={"reply": ""}, kind="json"),
    Case("api.upload_integration_document", "POST", "/api/v1/applications/{asked}/integration/documents",
         "401 422 403 403 403 403 403 403 403 403 403", body=pdf(), probe=NOT_PDF, kind="file"),
    Case("api.delete_integration_document", "DELETE",
         "/api/v1/applications/{asked}/integration/documents/{missing}",
         "401 404 403 403 403 403 403 403 403 403 403"),
    Case("api.download_integration_document", "GET",
         "/api/v1/applications/{asked}/integration/documents/{reply_document}",
         "401 200 200 403 404 403 403 404 403 403 403"),
    Case("api.list_versions", "GET", "/api/v1/applications/{application}/versions",
         "401 200 200 403 200 200 403 200 403 403 403"),
    # --- applications: API ----------------------------------------------------------------
    Case("api.list_applications", "GET", "/api/v1/applications", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.post_application", "POST", "/api/v1/applications", "401 422 422 422 403 403 403 403 403 403 403",
         body={"call_id": "{call}", "title": "Hijack", "thematic_area": "sustainability"},
         probe={"call_id": "{call}", "title": ""}, kind="json"),
    Case("api.get_application", "GET", "/api/v1/applications/{application}",
         "401 200 200 403 200 200 403 200 403 403 403"),
    Case("api.get_application", "GET", "/api/v1/applications/{other_draft}",
         "401 403 403 200 403 403 403 403 403 403 403"),
    Case("api.get_application", "GET", "/api/v1/applications/{missing}",
         "401 404 404 404 404 404 404 404 404 404 404"),
    Case("api.patch_application", "PATCH", "/api/v1/applications/{draft}",
         "401 422 403 403 403 403 403 403 403 403 403",
         body={"title": "Rewritten"}, probe={"title": ""}, kind="json"),
    Case("api.record_agreement", "POST", "/api/v1/applications/{draft}/agreement",
         "401 422 403 403 403 403 403 403 403 403 403",
         body={"signed": True}, probe={"signed": "perhaps"}, kind="json"),
    Case("api.upload_agreement_document", "POST", "/api/v1/applications/{draft}/agreement/documents",
         "401 422 403 403 403 403 403 403 403 403 403", body=pdf(), probe=NOT_PDF, kind="file"),
    Case("api.list_agreement_documents", "GET", "/api/v1/applications/{application}/agreement/documents",
         "401 200 200 403 200 403 403 200 403 403 403"),
    Case("api.download_agreement_document", "GET",
         "/api/v1/applications/{application}/agreement/documents/{agreement}",
         "401 200 200 403 200 403 403 200 403 403 403"),
    Case("api.download_agreement_document", "GET",
         "/api/v1/applications/{application}/agreement/documents/{other_agreement}",
         "401 404 404 403 404 403 403 404 403 403 403"),
    Case("api.history", "GET", "/api/v1/applications/{application}/history",
         "401 200 200 403 200 200 403 200 403 403 403"),
    Case("api.add_partner", "POST", "/api/v1/applications/{draft}/partners",
         "401 422 403 403 403 403 403 403 403 403 403",
         body={"organisation_id": "{other_org}", "role": "Partner"},
         probe={"organisation_id": "{missing}", "role": "Partner"}, kind="json"),
    Case("api.delete_application", "DELETE", "/api/v1/applications/{application}",
         "401 409 403 403 403 403 403 403 403 403 403", note="submitted: never deleted"),
    Case("api.remove_partner", "DELETE", "/api/v1/applications/{application}/partners/{partner_org}",
         "401 409 403 403 403 403 403 403 403 403 403"),
    Case("api.set_partner_spend", "PATCH", "/api/v1/applications/{application}/partners/{partner_org}",
         "401 409 403 403 403 403 403 403 403 403 403",
         body={"eligible_spend": "100000"}, probe={"eligible_spend": "100000"}, kind="json"),
    Case("api.post_review", "POST", "/api/v1/applications/{application}/reviews",
         "401 403 403 403 409 403 403 403 403 403 403",
         body={"scores": {"coherence": 30, "impact": 50}, "recommendation": "favourable"},
         probe={"scores": {"coherence": 999, "impact": 50}, "recommendation": "favourable"}, kind="json"),
    Case("api.list_reviews", "GET", "/api/v1/applications/{application}/reviews",
         "401 403 403 403 200 403 403 200 403 403 403", note="a conflicted member reads no reviews"),
    Case("api.patch_review", "PATCH", "/api/v1/applications/{application}/reviews/{review}",
         "401 403 403 403 422 403 403 403 403 403 403",
         body={"comment": "Changed by someone else."}, probe={"scores": {"coherence": 999}},
         kind="json", note="its author alone"),
    Case("api.patch_review", "PATCH", "/api/v1/applications/{application}/reviews/{missing}",
         "401 404 404 403 404 404 403 404 403 403 403", body={"comment": "Guessed."},
         probe={"comment": "Guessed."}, kind="json"),
    Case("api.post_declaration", "POST", "/api/v1/applications/{application}/declaration",
         "401 403 403 403 409 403 403 403 403 403 403", body={"conflict": False},
         probe={"conflict": True}, kind="json"),
    Case("api.get_declaration", "GET", "/api/v1/applications/{application}/declaration",
         "401 403 403 403 200 403 403 403 403 403 403"),
    Case("api.value_chain_support", "GET", "/api/v1/applications/{application}/support",
         "401 200 200 403 200 200 403 200 403 403 403"),
    Case("api.fire_transition", "POST", "/api/v1/applications/{application}/transitions",
         "401 403 403 403 422 403 403 422 403 403 403", body=TRANSITION, probe=BAD_TRIGGER, kind="json"),
    # issue 13: closing a recognised value chain is the officers' decision, its reason required
    Case("applications.transition", "POST", "/applications/{recognised}/transitions",
         "L 403 403 403 403 403 403 422 403 403 403", body=CLOSE, probe=CLOSE_WITHOUT_REASON),
    Case("api.fire_transition", "POST", "/api/v1/applications/{recognised}/transitions",
         "401 403 403 403 403 403 403 422 403 403 403", body=CLOSE, probe=CLOSE_WITHOUT_REASON,
         kind="json"),
    Case("api.fire_transitions", "POST", "/api/v1/applications/transitions",
         "401 200 200 200 200 200 200 200 200 200 200", body=BULK_API, probe=BULK_API, kind="json",
         note="200 with a refusal per item: 403, 404 or 409 (tests/access/test_bulk_access.py)"),
    # --- partnership changes (tracker/changes) and bulk partners ------------------------------
    Case("changes.index", "GET", "/changes", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("changes.detail", "GET", "/changes/{change}", "L 200 200 200 200 200 403 200 403 403 403",
         note="who asked, the named firm's staff, who sees the application"),
    Case("changes.detail", "GET", "/changes/{missing}", "L 404 404 404 404 404 404 404 404 404 404"),
    Case("changes.transition", "POST", "/changes/{change}/transitions",
         "L 422 403 403 403 403 403 422 403 403 403",
         body={"trigger": "refuse", "comment": "No.", "confirm": "y"}, probe=BAD_TRIGGER),
    Case("changes.new", "GET", "/applications/{application}/changes/new",
         "L 200 200 403 403 403 403 403 403 403 403", note="not in the registry: no firm asks to join"),
    Case("changes.new", "POST", "/applications/{application}/changes/new?kind=join",
         "L 422 422 403 403 403 403 403 403 403 403",
         body={"organisation_id": "{declared_org}", "reason": "Join."}, probe={"organisation_id": ""}),
    Case("changes.shortfall", "GET", "/applications/{application}/shortfall",
         "L 404 404 403 404 404 403 404 403 403 403", note="not below the minimum"),
    Case("changes.shortfall", "POST", "/applications/{application}/shortfall",
         "L 403 403 403 403 403 403 404 403 403 403",
         body={"deadline": "2099-01-01", "reason": "Time."}, probe={"deadline": "2099-01-01", "reason": "Time."}),
    Case("applications.import_partners", "GET", "/applications/{draft}/partners/import",
         "L 200 403 403 403 403 403 403 403 403 403"),
    Case("applications.import_partners", "POST", "/applications/{draft}/partners/import",
         "L 422 403 403 403 403 403 403 403 403 403", body=PARTNERS_CSV, probe=NOT_A_TABLE, kind="file"),
    Case("applications.confirm_import", "POST", "/applications/{draft}/partners/import/confirm",
         "L 400 403 403 403 403 403 403 403 403 403", body={"rows": "forged"}, probe={"rows": "forged"}),
    Case("api.import_partners", "POST", "/api/v1/applications/{draft}/partners/import",
         "401 422 403 403 403 403 403 403 403 403 403", body=PARTNERS_CSV, probe=NOT_A_TABLE, kind="file"),
    Case("api.post_change", "POST", "/api/v1/applications/{application}/changes",
         "401 422 422 403 403 403 403 403 403 403 403",
         body={"kind": "join", "organisation_id": "{declared_org}"},
         probe={"kind": "join", "organisation_id": "{missing}"}, kind="json"),
    Case("api.list_application_changes", "GET", "/api/v1/applications/{application}/changes",
         "401 200 200 403 200 200 403 200 403 403 403"),
    Case("api.list_changes", "GET", "/api/v1/changes", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_change", "GET", "/api/v1/changes/{change}", "401 200 200 200 200 200 403 200 403 403 403"),
    Case("api.change_history", "GET", "/api/v1/changes/{change}/history",
         "401 200 200 200 200 200 403 200 403 403 403"),
    Case("api.fire_change_transition", "POST", "/api/v1/changes/{change}/transitions",
         "401 422 403 403 403 403 403 422 403 403 403",
         body={"trigger": "refuse", "comment": "No."}, probe=BAD_TRIGGER, kind="json"),
    Case("api.get_shortfall", "GET", "/api/v1/applications/{application}/shortfall",
         "401 404 404 403 404 404 403 404 403 403 403"),
    Case("api.give_time", "PUT", "/api/v1/applications/{application}/shortfall",
         "401 403 403 403 403 403 403 404 403 403 403",
         body={"deadline": "2099-01-01", "reason": "Time."}, probe={"deadline": "2099-01-01", "reason": "Time."},
         kind="json"),
    Case("api.change_figures", "GET", "/api/v1/changes/figures", "401 403 403 403 403 403 403 200 403 403 403"),
    # --- monitoring reports (tracker/reports): a draft of the lead's partnership --------------
    Case("reports.index", "GET", "/reports", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("reports.detail", "GET", "/reports/{report}", "L 200 200 403 403 403 403 403 403 403 403",
         note="the partnership's staff; officers once submitted"),
    Case("reports.detail", "GET", "/reports/{missing}", "L 404 404 404 404 404 404 404 404 404 404"),
    Case("reports.save", "POST", "/reports/{report}", "L 422 403 403 403 403 403 403 403 403 403",
         body={"partners": "3"}, probe={"partners": "many"}),
    Case("reports.transition", "POST", "/reports/{report}/transitions",
         "L 422 403 403 403 403 403 403 403 403 403", body={"trigger": "submit"}, probe=BAD_TRIGGER),
    Case("reports.new", "POST", "/applications/{application}/reports",
         "L R 403 403 403 403 403 403 403 403 403", body={"kind": "periodic"}, probe={"kind": "periodic"},
         note="the lead is told the application files no periodic report (no label)"),
    Case("api.post_report", "POST", "/api/v1/applications/{application}/reports",
         "401 409 403 403 403 403 403 403 403 403 403", body={"kind": "periodic"},
         probe={"kind": "periodic"}, kind="json"),
    Case("api.list_application_reports", "GET", "/api/v1/applications/{application}/reports",
         "401 200 200 403 200 200 403 200 403 403 403"),
    Case("api.report_schedule", "GET", "/api/v1/applications/{application}/reports/schedule",
         "401 200 200 403 403 403 403 200 403 403 403"),
    Case("api.list_reports", "GET", "/api/v1/reports", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.report_figures", "GET", "/api/v1/reports/figures", "401 403 403 403 403 403 403 200 403 403 403"),
    Case("api.get_report", "GET", "/api/v1/reports/{report}", "401 200 200 403 403 403 403 403 403 403 403"),
    Case("api.report_history", "GET", "/api/v1/reports/{report}/history",
         "401 200 200 403 403 403 403 403 403 403 403"),
    Case("api.patch_report", "PATCH", "/api/v1/reports/{report}",
         "401 422 403 403 403 403 403 403 403 403 403", body={"partners": 3}, probe={"partners": -1},
         kind="json"),
    Case("api.fire_report_transition", "POST", "/api/v1/reports/{report}/transitions",
         "401 422 403 403 403 403 403 403 403 403 403", body={"trigger": "submit"}, probe=BAD_TRIGGER,
         kind="json"),
    # --- calls ----------------------------------------------------------------------------
    Case("calls.index", "GET", "/calls", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("calls.detail", "GET", "/calls/{call}", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("calls.detail", "GET", "/calls/{missing}", "404 404 404 404 404 404 404 404 404 404 404"),
    Case("calls.new", "GET", "/calls/new", "L 403 403 403 403 403 403 200 403 403 403"),
    Case("calls.new", "POST", "/calls/new", "L 403 403 403 403 403 403 422 403 403 403",
         body={"title": "A call", "workflow": "value_chain", "opens_at": "2026-01-01", "deadline": "2027-01-01",
               "min_firms": "3", "min_reviews": "1", "score_threshold": "60",
               "criteria-0-key": "impact", "criteria-0-label": "Impact", "criteria-0-max": "100"},
         probe={"title": ""}),
    Case("calls.appoint", "POST", "/calls/{call}/committee", "L 403 403 403 403 403 403 422 403 403 403",
         body={"user_id": "{outside_reviewer}"}, probe={"user_id": "not-an-id"}),
    Case("calls.extend", "POST", "/calls/{call}/deadline", "L 403 403 403 403 403 403 422 403 403 403",
         body={"deadline": "2099-01-01", "reason": "More time."}, probe={"deadline": "not a date"}),
    Case("calls.new_window", "GET", "/calls/{call}/windows/new", "L 403 403 403 403 403 403 200 403 403 403"),
    Case("calls.new_window", "POST", "/calls/{call}/windows/new", "L 403 403 403 403 403 403 422 403 403 403",
         body={"act_number": "DGR 5377/2025", "opens_at": "2100-01-01", "deadline": "2101-01-01",
               "score_threshold": "60", "thematic_areas": "reshoring",
               "criteria-0-key": "impact", "criteria-0-label": "Impact", "criteria-0-max": "100"},
         probe={"opens_at": "not a date"}),
    Case("api.list_calls", "GET", "/api/v1/calls", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_call", "GET", "/api/v1/calls/{call}", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.post_call", "POST", "/api/v1/calls", "401 403 403 403 403 403 403 422 403 403 403",
         body={"title": "A call", "workflow": "value_chain", "opens_at": "2026-01-01", "deadline": "2027-01-01",
               "min_firms": 3, "min_reviews": 1, "score_threshold": 60,
               "criteria": [{"key": "impact", "label": "Impact", "max": 100}]},
         probe={"title": ""}, kind="json"),
    Case("api.extend_deadline", "PATCH", "/api/v1/calls/{call}", "401 403 403 403 403 403 403 422 403 403 403",
         body={"deadline": "2099-01-01"}, probe={"deadline": "not a date"}, kind="json"),
    Case("api.open_window", "POST", "/api/v1/calls/{call}/windows", "401 403 403 403 403 403 403 422 403 403 403",
         body={"opens_at": "2100-01-01", "deadline": "2101-01-01", "thematic_areas": ["reshoring"],
               "criteria": [{"key": "impact", "label": "Impact", "max": 100}]},
         probe={"opens_at": "not a date"}, kind="json"),
    Case("api.appoint_member", "POST", "/api/v1/calls/{call}/committee", "401 403 403 403 403 403 403 422 403 403 403",
         body={"user_id": "{outside_reviewer}"}, probe={"user_id": "not-an-id"}, kind="json"),
    Case("api.ranking", "GET", "/api/v1/calls/{call}/ranking", "401 404 404 404 404 404 404 404 404 404 404"),
    # --- organisations ----------------------------------------------------------------------
    Case("organisations.index", "GET", "/organisations", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("organisations.new", "GET", "/organisations/new", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("organisations.new", "POST", "/organisations/new", "L 422 422 422 422 422 422 422 422 422 422",
         body={"name": "New firm", "vat_number": "00000000000", "kind": "firm"}, probe={"name": ""}),
    Case("api.list_organisations", "GET", "/api/v1/organisations", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_organisation", "GET", "/api/v1/organisations/{other_org}", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.post_organisation", "POST", "/api/v1/organisations", "401 422 422 422 422 422 422 422 422 422 422",
         body={"name": "New firm", "vat_number": "00000000000", "kind": "firm"}, probe={"name": ""}, kind="json"),
    Case("organisations.detail", "GET", "/organisations/{declared_org}", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("organisations.detail", "GET", "/organisations/{missing}", "L 404 404 404 404 404 404 404 404 404 404"),
    Case("organisations.verify", "POST", "/organisations/{declared_org}/verification",
         "L 403 403 403 422 422 403 422 403 403 403",
         body={"note": "Checked."}, probe={"note": "x" * 501},
         note="officers and committee members; the probe's note is too long"),
    Case("api.post_verification", "POST", "/api/v1/organisations/{declared_org}/verification",
         "401 403 403 403 422 422 403 422 403 403 403",
         body={"note": "Checked."}, probe={"note": "x" * 501}, kind="json"),
    Case("api.post_verification", "POST", "/api/v1/organisations/{missing}/verification",
         "401 404 404 404 404 404 404 404 404 404 404", body={}, probe={}, kind="json"),
    # --- search, a registry chain's page, what an organisation takes part in (tracker.search) --
    Case("organisations.detail", "GET", "/organisations/{partner_org}", "L 200 200 200 200 200 200 200 200 200 200",
         note="its chains, projects and changes as each person may see them (tests/search)"),
    Case("api.get_involvement", "GET", "/api/v1/organisations/{partner_org}/involvement",
         "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_involvement", "GET", "/api/v1/organisations/{missing}/involvement",
         "401 404 404 404 404 404 404 404 404 404 404"),
    Case("search.index", "GET", "/search?q=firm", "200 200 200 200 200 200 200 200 200 200 200",
         note="each finds what they may see: the public, the registry's (tests/search)"),
    Case("search.index", "GET", "/search?q=firm&in=elsewhere", "400 400 400 400 400 400 400 400 400 400 400"),
    Case("api.get_search", "GET", "/api/v1/search?q=firm&in=organisations", "200 200 200 200 200 200 200 200 200 200 200",
         note="public; with a token, what its user may see"),
    Case("registry.chain", "GET", "/registry/FIL-2099-9999", "404 404 404 404 404 404 404 404 404 404 404",
         note="not in the registry; a recognised chain's page: tests/search/test_registry_chain.py"),
    Case("api.registry_entry", "GET", "/api/v1/registry/FIL-2099-9999", "404 404 404 404 404 404 404 404 404 404 404"),
    # --- communities and proposals ------------------------------------------------------------
    Case("communities.index", "GET", "/communities", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("communities.detail", "GET", "/communities/{community}", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("communities.new", "GET", "/communities/new", "L 403 403 403 403 403 403 403 200 403 200"),
    Case("communities.new", "POST", "/communities/new", "L 403 403 403 403 403 403 403 422 403 422",
         body={"name": "Hijacked community"}, probe={"name": ""}),
    Case("communities.add_member_view", "POST", "/communities/{community}/members", "L 403 403 403 403 403 403 403 422 403 422",
         body={"user_id": "{partner_user}", "role": "member"}, probe={"user_id": "{missing}", "role": "member"}),
    Case("api.list_communities", "GET", "/api/v1/communities", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_community", "GET", "/api/v1/communities/{community}", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.post_community", "POST", "/api/v1/communities", "401 403 403 403 403 403 403 403 422 403 422",
         body={"name": "Hijacked community"}, probe={"name": ""}, kind="json"),
    Case("api.add_community_member", "POST", "/api/v1/communities/{community}/members", "401 403 403 403 403 403 403 403 422 403 422",
         body={"user_id": "{partner_user}", "role": "member"}, probe={"user_id": "{missing}", "role": "member"}, kind="json"),
    Case("proposals.index", "GET", "/proposals", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("proposals.detail", "GET", "/proposals/{proposal}", "L 403 403 403 403 403 403 403 200 403 403"),
    Case("proposals.detail", "GET", "/proposals/{missing}", "L 404 404 404 404 404 404 404 404 404 404"),
    Case("proposals.new", "GET", "/proposals/new?community_id={community}", "L 403 403 403 403 403 403 403 200 403 403"),
    Case("proposals.new", "POST", "/proposals/new?community_id={community}", "L 403 403 403 403 403 403 403 422 403 403",
         body={"title": "Hijack", "summary": "x"}, probe={"title": ""}),
    Case("proposals.edit", "GET", "/proposals/{proposal}/edit", "L 403 403 403 403 403 403 403 200 403 403"),
    Case("proposals.edit", "POST", "/proposals/{proposal}/edit", "L 403 403 403 403 403 403 403 422 403 403",
         body={"title": "Rewritten", "summary": "x"}, probe={"title": ""}),
    Case("proposals.transition", "POST", "/proposals/{proposal}/transitions", "L 403 403 403 403 403 403 403 422 403 403",
         body={"trigger": "start_validation", "comment": "Go.", "confirm": "y"}, probe=BAD_TRIGGER),
    Case("api.list_proposals", "GET", "/api/v1/proposals", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_proposal", "GET", "/api/v1/proposals/{proposal}", "401 403 403 403 403 403 403 403 200 403 403"),
    Case("api.post_proposal", "POST", "/api/v1/proposals", "401 403 403 403 403 403 403 403 422 403 403",
         body={"community_id": "{community}", "title": "Hijack"}, probe={"community_id": "{community}", "title": ""}, kind="json"),
    Case("api.proposal_history", "GET", "/api/v1/proposals/{proposal}/history", "401 403 403 403 403 403 403 403 200 403 403"),
    Case("api.fire_proposal_transition", "POST", "/api/v1/proposals/{proposal}/transitions", "401 403 403 403 403 403 403 403 422 403 403",
         body={"trigger": "start_validation", "comment": "Go."}, probe=BAD_TRIGGER, kind="json"),
    # --- AFIL (0015_afil): activities, the value chain a proposal becomes, EU projects ------------
    Case("communities.record_activity_view", "POST", "/communities/{community}/activities", "L 403 403 403 403 403 403 403 422 403 403",
         body={"kind": "training", "held_on": "2024-01-01", "title": "Hijack"}, probe={"kind": "nope", "held_on": "x", "title": ""}),
    Case("api.list_community_activities", "GET", "/api/v1/communities/{community}/activities", "401 403 403 403 403 403 403 403 200 403 403"),
    Case("api.post_community_activity", "POST", "/api/v1/communities/{community}/activities", "401 403 403 403 403 403 403 403 422 403 403",
         body={"kind": "training", "held_on": "2024-01-01", "title": "Hijack"}, probe={"kind": "nope", "held_on": "x", "title": ""}, kind="json"),
    Case("proposals.link_value_chain", "POST", "/proposals/{proposal}/value-chain", "L 403 403 403 403 403 403 403 422 403 403",
         body={"application_id": "{application}"}, probe={"application_id": "{missing}"}),
    Case("api.put_proposal_value_chain", "PUT", "/api/v1/proposals/{proposal}/value-chain", "401 403 403 403 403 403 403 403 422 403 403",
         body={"application_id": "{application}"}, probe={"application_id": "{missing}"}, kind="json"),
    Case("api.application_proposal", "GET", "/api/v1/applications/{application}/proposal",
         "401 404 404 403 404 404 403 404 403 403 403", note="visible, but from no proposal"),
    Case("projects.index", "GET", "/projects", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("projects.detail", "GET", "/projects/{project}", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("api.list_projects", "GET", "/api/v1/projects", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_project", "GET", "/api/v1/projects/{project}", "401 200 200 200 200 200 200 200 200 200 200"),
    # --- the HUB's shared agreement ---------------------------------------------------------------
    Case("agreements.index", "GET", "/agreements", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("agreements.detail", "GET", "/agreements/{shared_agreement}", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("agreements.new", "GET", "/agreements/new", "L 403 403 403 403 403 403 200 403 403 403"),
    Case("agreements.new", "POST", "/agreements/new", "L 403 403 403 403 403 403 422 403 403 403",
         body={"reference": "Hijack", "title": "x", "call_id": "{call}", "concluded_on": "2021-01-01", "total_amount": "1", "party_ids": "{lead_org}"},
         probe={"reference": ""}),
    Case("api.list_agreements", "GET", "/api/v1/agreements", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_agreement", "GET", "/api/v1/agreements/{shared_agreement}", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.post_agreement", "POST", "/api/v1/agreements", "401 403 403 403 403 403 403 422 403 403 403",
         body={"reference": "Hijack", "title": "x", "call_id": "{call}", "concluded_on": "2021-01-01", "total_amount": "1", "party_ids": ("{lead_org}",)},
         probe={"reference": "", "title": "x", "call_id": "{call}", "concluded_on": "2021-01-01", "total_amount": "1", "party_ids": ("{lead_org}",)}, kind="json"),
    Case("api.application_agreement", "GET", "/api/v1/applications/{application}/agreement",
         "401 404 404 403 404 404 403 404 403 403 403", note="visible, but joined no agreement"),
    # --- dashboards, statistics, account --------------------------------------------------------
    Case("dashboards.index", "GET", "/dashboard", "L R R R 200 200 200 200 R R 403"),
    Case("dashboards.queue", "GET", "/dashboard/queue", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("dashboards.call", "GET", "/dashboard/calls/{call}", "L 403 403 403 200 200 403 200 403 403 403"),
    Case("dashboards.service_times", "POST", "/dashboard/calls/{call}/service-times", "L 403 403 403 403 403 403 422 403 403 403",
         body={"submitted": "5"}, probe={"submitted": "-3"}),
    Case("dashboards.committee", "GET", "/dashboard/committee", "L 403 403 403 200 200 200 403 403 403 403"),
    Case("dashboards.applicant", "GET", "/dashboard/applicant", "L 200 200 200 403 403 403 403 403 403 403"),
    Case("dashboards.communities", "GET", "/dashboard/communities", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("statistics.index", "GET", "/statistics", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("api.dashboard", "GET", "/api/v1/dashboard?call_id={call}", "401 403 403 403 200 200 403 200 403 403 403"),
    Case("account.index", "GET", "/account", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("account.email_preferences", "POST", "/account/email", "L 422 422 422 422 422 422 422 422 422 422",
         body={"kinds": "no_such_kind"}, probe={"kinds": "no_such_kind"}),
    # --- one's own notices (issue 14): another's is 404, as one that does not exist ------------
    Case("notifications.index", "GET", "/notifications", "L 200 200 200 200 200 200 200 200 200 200"),
    Case("notifications.open_notice", "GET", "/notifications/{notice}", "L R 404 404 404 404 404 404 404 404 404"),
    Case("notifications.read_one", "POST", "/notifications/{notice}/read", "L R 404 404 404 404 404 404 404 404 404",
         body={}, probe={}, note="read already: nothing changes"),
    Case("notifications.read_all", "POST", "/notifications/read", "L 400 400 400 400 400 400 400 400 400 400",
         body={}, probe={"up_to": "x"}),
    Case("api.list_notices", "GET", "/api/v1/notifications?unread=true", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.count_notices", "GET", "/api/v1/notifications/count", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.read_notice", "POST", "/api/v1/notifications/{notice}/read",
         "401 200 404 404 404 404 404 404 404 404 404", kind="json", note="read already: nothing changes"),
    Case("api.read_all_notices", "POST", "/api/v1/notifications/read",
         "401 422 422 422 422 422 422 422 422 422 422", body={}, probe={"up_to": "x"}, kind="json"),
    # --- one's own account: password, browsers, tokens; the e-mailed links --------------------
    Case("account.change_password_view", "POST", "/account/password", "L 422 422 422 422 422 422 422 422 422 422",
         body={"current": "secret-pass", "new": "a-long-enough-passphrase", "new_again": "a-long-enough-passphrase"},
         probe={"current": "secret-pass", "new": "short", "new_again": "short"}),
    Case("account.end_other_sessions", "POST", "/account/sessions/end-others", "L R R R R R R R R R R",
         body={}, probe={}, note="each person has one browser here: nothing to end"),
    Case("account.revoke_token_view", "POST", "/account/tokens/{missing}/revoke",
         "L 404 404 404 404 404 404 404 404 404 404", body={}, probe={},
         note="one's own tokens only (tests/auth: another's is 404)"),
    Case("auth.forgot_password", "GET", "/password/forgot", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("auth.forgot_password", "POST", "/password/forgot", "422 422 422 422 422 422 422 422 422 422 422",
         probe={"email": ""}),
    Case("auth.reset_password", "GET", "/password/reset/not-a-link", "404 404 404 404 404 404 404 404 404 404 404"),
    Case("auth.reset_password", "POST", "/password/reset/not-a-link", "404 404 404 404 404 404 404 404 404 404 404",
         probe={"new": "a-long-enough-passphrase", "new_again": "a-long-enough-passphrase"}),
    Case("auth.accept_invitation", "GET", "/invitation/not-a-link", "404 404 404 404 404 404 404 404 404 404 404"),
    Case("auth.accept_invitation", "POST", "/invitation/not-a-link", "404 404 404 404 404 404 404 404 404 404 404",
         probe={"new": "a-long-enough-passphrase", "new_again": "a-long-enough-passphrase"}),
    # --- the administration: admins only ---------------------------------------------------------
    Case("admin.people", "GET", "/admin/people", "L 403 403 403 403 403 403 403 403 403 200"),
    Case("admin.invite_person", "GET", "/admin/people/invite", "L 403 403 403 403 403 403 403 403 403 200"),
    Case("admin.invite_person", "POST", "/admin/people/invite", "L 403 403 403 403 403 403 403 403 403 422",
         body={"name": "Intruder", "email": "intruder@example.org", "roles": "admin"},
         probe={"name": "Somebody", "email": "somebody@example.org", "roles": "wizard"}),
    Case("admin.person", "GET", "/admin/people/{partner_user}", "L 403 403 403 403 403 403 403 403 403 200"),
    Case("admin.person", "GET", "/admin/people/{missing}", "L 403 403 403 403 403 403 403 403 403 404"),
    Case("admin.update", "POST", "/admin/people/{partner_user}/edit", "L 403 403 403 403 403 403 403 403 403 422",
         body={"roles": "admin"}, probe={"roles": "wizard"}),
    Case("admin.deactivate_person", "GET", "/admin/people/{partner_user}/deactivate",
         "L 403 403 403 403 403 403 403 403 403 200"),
    Case("admin.deactivate_person", "POST", "/admin/people/{partner_user}/deactivate",
         "L 403 403 403 403 403 403 403 403 403 422", body={"confirm": "y"}, probe={},
         note="unconfirmed: refused"),
    Case("admin.reactivate_person", "POST", "/admin/people/{partner_user}/reactivate",
         "L 403 403 403 403 403 403 403 403 403 R", body={}, probe={}, note="active already: nothing to do"),
    Case("admin.revoke", "POST", "/admin/people/{partner_user}/tokens/{missing}/revoke",
         "L 403 403 403 403 403 403 403 403 403 404", body={}, probe={}),
    # --- the API's own ------------------------------------------------------------------------
    Case("api.get_email_preferences", "GET", "/api/v1/me/email-preferences",
         "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.put_email_preferences", "PUT", "/api/v1/me/email-preferences",
         "401 422 422 422 422 422 422 422 422 422 422",
         body={"receive": []}, probe={"receive": ["no_such_kind"]}, kind="json",
         note="one's own choice only: the token says whose"),
    Case("api.me", "GET", "/api/v1/me", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.me_queue", "GET", "/api/v1/me/queue", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.openapi_document", "GET", "/api/v1/openapi.json", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("api.registry", "GET", "/api/v1/registry", "200 200 200 200 200 200 200 200 200 200 200"),
    Case("api.list_workflows", "GET", "/api/v1/workflows", "401 200 200 200 200 200 200 200 200 200 200"),
    Case("api.get_workflow", "GET", "/api/v1/workflows/value_chain", "401 200 200 200 200 200 200 200 200 200 200"),
    # last: logging out ends each person's session
    Case("auth.logout", "POST", "/logout", "R R R R R R R R R R R", probe={}),
]
# fmt: on


def _ids(w: AccessWorld) -> dict[str, int]:
    return {
        "application": w.application.id, "draft": w.draft.id, "other_draft": w.other_draft.id,
        "agreement": w.agreement.id, "other_agreement": w.other_agreement.id,
        "call": w.call.id, "community": w.community.id, "proposal": w.idea.id,
        "partner_org": w.partner_org.id, "other_org": w.other_org.id, "lead_org": w.lead_org.id,
        "declared_org": w.declared_org.id,
        "project": w.project.id, "shared_agreement": w.shared_agreement.id,
        "asked": w.asked.id,
        "reply_document": w.reply_document.id,
        "change": w.change.id, "report": w.report.id,
        "missing": 987654, "outside_reviewer": w.outside_reviewer.id, "partner_user": w.partner.id,
        "review": w.review.id, "recognised": w.recognised.id, "notice": w.notice.id,
        "annex": w.annex.id, "annex_document": w.annex_document.id,
        "other_annex_document": w.other_annex_document.id,
    }  # fmt: skip


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):  # a form's field sent several times
        return [_fill(v, ids) for v in value]
    if isinstance(value, tuple):
        return tuple(_fill(v, ids) if isinstance(v, str) and "{" in v else v for v in value)
    return value


def snapshot() -> dict[str, list]:
    """Every row of every table: what a refused request must leave exactly as it was."""
    db.session.rollback()
    out = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in USE_BOOKKEEPING]
        rows = db.session.execute(select(*columns)).all()
        out[table.name] = sorted(repr(tuple(r)) for r in rows)
    db.session.rollback()
    return out


def outcome_of(response) -> str:
    if response.status_code in (301, 302, 303):
        return "L" if "/login" in response.headers.get("Location", "") else "R"
    return str(response.status_code)


class People:
    """A test client per person: pages through a session, the API through a bearer token."""

    def __init__(self, app, make, world: AccessWorld) -> None:
        self.app, self.clients, self.tokens = app, {}, {}
        for role in ROLES:
            client = app.test_client()
            user = world.user(role)
            if user is not None:
                with client.session_transaction() as session:
                    session["_user_id"] = start_session(user)
                    session["_fresh"] = True
                self.tokens[role] = make.token(user)
            self.clients[role] = client

    def ask(self, role: str, case: Case, path: str, payload: Any):
        headers = {}
        if path.startswith(API) and role in self.tokens:
            headers["Authorization"] = f"Bearer {self.tokens[role]}"
        kwargs: dict[str, Any] = {"headers": headers}
        if case.kind == "json" and payload is not None:
            kwargs["json"] = payload
        elif case.kind == "file" and payload is not None:
            kwargs["data"] = {k: (io.BytesIO(v[0]), v[1], v[2]) for k, v in payload.items()}
            kwargs["content_type"] = "multipart/form-data"
        elif payload is not None:
            kwargs["data"] = payload
        client = self.clients[role] if not path.startswith(API) else self.app.test_client()
        return client.open(path, method=case.method, **kwargs)


def run_matrix(app, make, cases) -> list[str]:
    world = AccessWorld(make)
    ids = _ids(world)
    people = People(app, make, world)
    problems, recorded = [], []
    for case in cases:
        path = _fill(case.path, ids)
        compared = case.method != "GET" and case.endpoint not in CHANGES_NOTHING_STORED
        before = snapshot() if compared else None
        got = []
        for role, expected in zip(ROLES, case.outcomes, strict=True):
            if expected == SKIP:
                got.append(SKIP)
                continue
            payload = case.body if expected in REFUSALS else case.probe
            response = people.ask(role, case, path, _fill(payload, ids))
            outcome = outcome_of(response)
            response.close()
            got.append(outcome)
            if outcome != expected:
                problems.append(
                    f"{case.method} {path} ({case.endpoint}{', ' + case.note if case.note else ''}) "
                    f"as {role}: expected {expected}, got {outcome}"
                )
        recorded.append(f"{case.method} {case.path}: {' '.join(got)}")
        if compared and (after := snapshot()) != before:
            changed = sorted(t for t in after if after[t] != before.get(t))
            problems.append(
                f"{case.method} {path} ({case.endpoint}) changed {changed}: every person "
                "was either refused or sent an input the operation refuses"
            )
    if os.environ.get("ACCESS_RECORD"):
        print("\n".join(recorded))
    return problems


def test_every_route_and_person(app, make):
    problems = run_matrix(app, make, CASES)
    assert not problems, "\n".join(problems)


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(c.endpoint, c.method) for c in CASES}
    missing = sorted(routes - covered)
    assert not missing, "Routes without a row in the access matrix (tests/access): " + ", ".join(
        f"{m} {e}" for e, m in missing
    )
    assert not covered - routes, f"Rows for routes that no longer exist: {sorted(covered - routes)}"
