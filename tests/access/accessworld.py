"""The world of the access tests: one of every kind of person around one call and one community,
with objects each may or may not see, all built through the real operations."""

from __future__ import annotations

from tracker.database import commit

#: everyone the matrix asks, in its order; "stranger" is not logged in
ROLES = (
    "stranger",
    "lead",  # applicant, staff of the partnership's lead partner
    "partner",  # applicant, staff of another partner of that partnership
    "other_applicant",  # applicant of another partnership
    "reviewer",  # on the call's committee
    "conflicted",  # on the committee, but staff of a partner: conflict of interest
    "outside_reviewer",  # a reviewer not on the committee
    "officer",
    "coordinator",
    "board",
    "admin",
)

#: a PDF as small as a real one can be: header, one empty page, trailer and end marker
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def start_session(user) -> str:
    """A server-side session for ``user`` (tracker.auth.sessions), as logging in starts one: the
    secret a session cookie carries in ``_user_id``."""
    from tracker.auth import sessions

    secret = sessions.start(user)
    commit()
    return secret


class AccessWorld:
    def __init__(self, make) -> None:
        from tracker.applications.operations import add_partner
        from tracker.communities.operations import add_member, create_community, create_proposal
        from tracker.documents.operations import upload_agreement

        self.make = make
        self.officer = make.user("officer")
        self.coordinator = make.user("coordinator")
        self.board = make.user("board")
        self.admin = make.user("admin")
        self.call = make.call(self.officer, min_firms=2, min_reviews=1)

        self.lead_org = make.organisation("Lead firm", province="BS")
        self.partner_org = make.organisation("Partner firm", province="BG")
        self.lead = make.user("applicant", organisation=self.lead_org)
        self.partner = make.user("applicant", organisation=self.partner_org)
        self.other_org = make.organisation("Another firm", province="CO")
        self.other_applicant = make.user("applicant", organisation=self.other_org)
        # registered by an applicant: its declared data await verification
        self.declared_org = make.organisation(
            "Declared firm", province="VA", verified=False, declared_by=self.other_applicant
        )
        self.reviewer = make.user("reviewer", organisation=make.organisation(kind="university"))
        self.conflicted = make.user("reviewer", organisation=self.partner_org)
        self.outside_reviewer = make.user(
            "reviewer", organisation=make.organisation(kind="university")
        )
        make.appoint(self.call, self.reviewer)
        make.appoint(self.call, self.conflicted)

        # the call's annex (issue 14), optional so that the other applications submit without it
        from tracker.documents.annexes import define_annex, upload_annex

        self.annex = define_annex(
            self.officer, self.call,
            {"name": "Business plan", "formats": ["pdf", "xlsx"], "max_bytes": 100_000,
             "required": False},
        )  # fmt: skip
        # the partnership's application: submitted, admitted, reviewed, with its agreement
        self.application = make.application(self.call, self.lead, firms=1)
        add_partner(self.lead, self.application, self.partner_org.id, "Partner", "Data")
        self.agreement = upload_agreement(self.lead, self.application, "signed.pdf", PDF)
        self.annex_document = upload_annex(
            self.lead, self.application, self.annex.id, "plan.pdf", PDF
        )
        commit()
        make.fire(self.application, self.lead, "submit")
        make.fire(self.application, self.reviewer, "admit")
        self.review = make.review(self.application, self.reviewer)
        # issue 14: another application of the partnership waits on an integration, its reply
        # (with a document) being written
        from tracker.integrations.operations import attach_document, save_reply

        self.asked = make.application(self.call, self.lead, firms=1, title="Asked")
        add_partner(self.lead, self.asked, self.partner_org.id, "Partner", "Data")
        upload_agreement(self.lead, self.asked, "signed.pdf", PDF)
        commit()
        make.fire(self.asked, self.lead, "submit")
        make.fire(self.asked, self.reviewer, "request_integration", "Attach the letters.")
        save_reply(self.lead, self.asked, "The letters are attached.")
        self.reply_document = attach_document(self.lead, self.asked, "letters.pdf", PDF)
        commit()
        # drafts: the lead's own, and another partnership's with its agreement uploaded
        self.draft = make.application(self.call, self.lead, complete=False, title="Lead's draft")
        self.other_draft = make.application(self.call, self.other_applicant, title="Their draft")
        self.other_agreement = upload_agreement(
            self.other_applicant, self.other_draft, "theirs.pdf", PDF
        )
        self.other_annex_document = upload_annex(
            self.other_applicant, self.other_draft, self.annex.id, "their plan.pdf", PDF
        )
        commit()

        # issue 13: a recognised value chain of the partnership, which only an officer closes
        self.recognised = make.application(self.call, self.lead, firms=1, title="Recognised")
        add_partner(self.lead, self.recognised, self.partner_org.id, "Partner", "Data")
        upload_agreement(self.lead, self.recognised, "signed.pdf", PDF)
        commit()
        make.fire(self.recognised, self.lead, "submit")
        make.fire(self.recognised, self.officer, "admit")
        make.review(self.recognised, self.reviewer)
        make.fire(self.recognised, self.officer, "close_evaluation")
        make.fire(
            self.recognised, self.officer, "grant_label", decree_number="D-1",
            decree_date="2024-06-30",
        )  # fmt: skip

        # a partnership change: the lead names another firm to join the submitted partnership
        from tracker.changes.operations import request_change

        self.change = request_change(
            self.lead, self.application, {"kind": "join", "organisation_id": self.other_org.id}
        )
        commit()

        # a monitoring report: a draft periodic report of the lead's application (issue 13),
        # written as a chain holding its label would start one (the application has no label)
        from tracker.extensions import db
        from tracker.reports.models import Report
        from workflows import get_engine

        self.report = Report(application=self.application, kind="periodic", period=1,
                             created_by_id=self.lead.id)  # fmt: skip
        get_engine("report").initialise(self.report)
        db.session.add(self.report)
        commit()

        self.community = create_community(
            self.coordinator, {"name": "Circular Economy", "topic": "Circular economy"}
        )
        commit()
        self.idea = create_proposal(
            self.coordinator, self.community, {"title": "Roadmap", "summary": "Priorities."}
        )
        commit()
        # AFIL (0015_afil): an EU project serving the community; the call's shared agreement
        from tracker.agreements.operations import create_agreement
        from tracker.extensions import db
        from tracker.projects.models import EUProject

        self.project = EUProject(
            acronym="PLASTIX", programme="Interreg Europe", communities=[self.community]
        )
        db.session.add(self.project)
        self.shared_agreement = create_agreement(
            self.officer,
            {"reference": "Accordo 2021", "title": "Agreement", "call_id": self.call.id,
             "concluded_on": "2021-05-17", "total_amount": "10000000",
             "party_ids": [self.lead_org.id]},
        )  # fmt: skip
        commit()
        del add_member
        # issue 14: the lead's first notice (their submission's receipt), read already, so that
        # marking it read again changes nothing
        from tracker.notifications.operations import mark_read, notices_of
        from tracker.pagination import PageRequest

        self.notice = notices_of(self.lead, PageRequest(1, 1000))[0][-1]
        mark_read(self.lead, self.notice.id)
        commit()

    def user(self, role: str):
        return None if role == "stranger" else getattr(self, role)
