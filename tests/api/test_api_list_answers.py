"""The API's list of applications writes each item from what its rows loaded (partners through
``PartnerOut.fields_of``, the application's columns copied at once by ``with_fields``): on the
demo world, every workflow and every kind of viewer, each item is the answer read attribute by
attribute, and the page is what the OpenAPI document describes."""

from __future__ import annotations

import jsonschema
from apiclient import Api
from sqlalchemy import select, update

from tracker.api.schemas import Loaded, with_fields
from tracker.applications.models import Application
from tracker.applications.operations import available_transitions
from tracker.applications.schemas import ApplicationOut, PartnerOut
from tracker.auth.models import User
from tracker.auth.operations import issue_token
from tracker.database import commit
from tracker.demo import load_demo
from tracker.extensions import db
from tracker.labels.schemas import LabelOut
from tracker.measures.grant import compute as compute_grant
from tracker.organisations.models import Organisation

#: an officer, a committee member, leads of a draft, of a recognised chain and of a HUB
#: application, a partner's staff
VIEWERS = (
    "officer@demo.example.org", "reviewer1@demo.example.org", "lead@demo.example.org",
    "steel@demo.example.org", "hub@demo.example.org", "partner@demo.example.org",
)  # fmt: skip


class _Attributes:
    """A record read attribute by attribute (SQLAlchemy's descriptors, properties), with
    ``fields`` added: how answers were written before they were read from the rows."""

    def __init__(self, record, **fields) -> None:
        self._record, self._fields = record, fields

    def __getattr__(self, name: str):
        fields = self.__dict__["_fields"]
        return fields[name] if name in fields else getattr(self.__dict__["_record"], name)


def _read_attribute_by_attribute(app: Application, viewer: User) -> dict:
    answer = ApplicationOut.model_validate(
        _Attributes(
            app,
            label=LabelOut.of(app.label),
            grant_computation=compute_grant(app) if app.call.is_measure else None,
            available_transitions=available_transitions(viewer, app),
            partners=[PartnerOut.model_validate(p) for p in app.partners],
        )
    )
    return answer.model_dump(mode="json")


def _page_schema(api: Api) -> dict:
    document = api.get("/openapi.json").get_json()
    return {
        "$ref": "#/components/schemas/ApplicationPage",
        "components": document["components"],
    }


def test_each_item_is_its_answer_read_attribute_by_attribute(app):
    load_demo()
    schema = _page_schema(Api(app))
    seen_workflows, spends, leads = set(), 0, 0
    for email in VIEWERS:
        viewer = db.session.scalar(select(User).where(User.email == email))
        api = Api(app, issue_token(viewer))
        commit()
        page = api.get("/applications?per_page=200").get_json()
        jsonschema.validate(page, schema)  # the document's JSON Schema, not only the model
        assert page["items"], email
        db.session.expire_all()  # read again from the database, attribute by attribute
        viewer = db.session.get(User, viewer.id)
        for item in page["items"]:
            application = db.session.get(Application, item["id"])
            assert item == _read_attribute_by_attribute(application, viewer), (email, item["id"])
            seen_workflows.add(item["workflow"])
            spends += sum(p["eligible_spend"] is not None for p in item["partners"])
            leads += sum(p["lead"] for p in item["partners"])
    # the demo holds what the fields of the rows must carry: every kind of application,
    # partners' spend under the support measures, one lead partner per application
    assert {"value_chain", "support_application", "hub_eoi"} <= seen_workflows
    assert spends and leads


def test_a_partner_from_its_rows_has_every_field_of_its_answer(make, world):
    application = make.application(world.call, world.lead)
    for partner in application.partners:
        fields = PartnerOut.fields_of(partner, application)
        assert set(fields) == set(PartnerOut.model_fields)  # a new field is never left default
        assert PartnerOut.model_validate(fields) == PartnerOut.model_validate(partner)


def test_what_a_commit_expired_is_read_again(make, world):
    """The rows' values are read from the ORM's instance dict only while loaded: a commit
    expires them, and the next read goes to the database."""
    application = make.application(world.call, world.lead)
    partner = next(p for p in application.partners if not p.is_lead)
    name, title = partner.organisation.name, application.title  # loaded
    db.session.execute(
        update(Organisation)
        .where(Organisation.id == partner.organisation_id)
        .values(name="Renamed Srl")
        .execution_options(synchronize_session=False)  # behind the loaded rows' back
    )
    db.session.execute(
        update(Application)
        .where(Application.id == application.id)
        .values(title="Renamed")
        .execution_options(synchronize_session=False)
    )
    assert PartnerOut.fields_of(partner, application)["name"] == name  # as loaded
    assert with_fields(application).title == title
    commit()  # expires every loaded row
    assert PartnerOut.fields_of(partner, application)["name"] == "Renamed Srl"
    assert with_fields(application).title == "Renamed"
    assert Loaded("title", "state")(application) == ("Renamed", application.state)
    assert with_fields(application, title="Given").title == "Given"


def test_a_record_without_an_instance_dict_is_read_through_its_attributes():
    class Slotted:
        __slots__ = ("name", "kind")

        def __init__(self) -> None:
            self.name, self.kind = "Acciaierie Srl", "firm"

    assert Loaded("name", "kind")(Slotted()) == ("Acciaierie Srl", "firm")
