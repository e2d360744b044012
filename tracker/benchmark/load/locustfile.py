"""The last hour before an EOI window closes, for Locust (``make load``).

Leads edit their drafts and submit them, partners read their applications, committee members
read and review, officers watch the dashboard and the lists, the public reads the registry; each
person waits 1 to 5 s between actions (``LOAD_WAIT``; 0 makes it a closed loop). Everyone is logged in beforehand (``prepare.py``: an API
token and a session cookie each, from ``LOAD_CAST``), so no login happens during the run. Pages
are read with the session cookie, as a browser does; writes go through the JSON API with the
token. Every answered write is written down (``LOAD_LEDGER``, at the end) for the checks that
follow the run: each answered transition has exactly its history row, each review its row.
"""

from __future__ import annotations

import json
import os
import random
from collections import deque
from pathlib import Path

from locust import HttpUser, between, events, task

from tracker.benchmark.load.prepare import RUSH_WAIT, Cast, Person, parse_wait

CAST = Cast.load(Path(os.environ["LOAD_CAST"]))
LEDGER = Path(os.environ["LOAD_LEDGER"])
WAIT = parse_wait(os.environ.get("LOAD_WAIT", RUSH_WAIT))
#: answered writes: (kind, application id, who, status)
ANSWERED: list[tuple[str, int, str, int]] = []
_leads = deque(CAST.leads)
_reviews = deque(CAST.reviews)
random.shuffle(_reviews)


@events.test_stop.add_listener
def _write_ledger(**_kwargs) -> None:
    LEDGER.write_text(json.dumps(ANSWERED))


class Someone(HttpUser):
    """Someone with a session and a token."""

    abstract = True
    wait_time = between(*WAIT)
    person: Person

    def as_person(self, person: Person) -> None:
        self.person = person
        self.client.cookies.set(CAST.cookie_name, person.cookie)
        self.api = {"Authorization": f"Bearer {person.token}"}

    def page(self, path: str, name: str) -> None:
        self.client.get(path, name=name)

    def api_get(self, path: str, name: str) -> None:
        self.client.get(path, headers=self.api, name=name)


class Lead(Someone):
    """A lead partner finishing the draft: reads it, edits the concept note two or three
    times, submits it, then watches it."""

    weight = 6

    def on_start(self) -> None:
        person = _leads.popleft() if _leads else random.choice(CAST.partners)
        self.as_person(person)
        self.application = person.applications[0]
        self.edits_left = random.randint(2, 3) if person in CAST.leads else 0
        self.submitted = self.edits_left == 0

    @task(3)
    def read(self) -> None:
        self.page(f"/applications/{self.application}", "lead: application page")

    @task(3)
    def work(self) -> None:
        if self.submitted:
            self.page("/applications", "lead: my applications")
            return
        path = f"/api/v1/applications/{self.application}"
        if self.edits_left:
            self.edits_left -= 1
            note = {"objectives": f"Grow exports by {random.randint(10, 40)}% in three years."}
            with self.client.patch(
                path, json={"concept_note": note}, headers=self.api, name="lead: edit (API)",
                catch_response=True,
            ) as answer:  # fmt: skip
                if answer.status_code == 200:
                    answer.success()
            return
        with self.client.post(
            f"{path}/transitions", json={"trigger": "submit"}, headers=self.api,
            name="lead: submit (API)", catch_response=True,
        ) as answer:  # fmt: skip
            ANSWERED.append(("submit", self.application, self.person.email, answer.status_code))
            self.submitted = answer.status_code == 200


class Partner(Someone):
    """A partner of a submitted application, reading it."""

    weight = 5

    def on_start(self) -> None:
        self.as_person(random.choice(CAST.partners))
        self.application = self.person.applications[0]

    @task(3)
    def application_page(self) -> None:
        self.page(f"/applications/{self.application}", "partner: application page")

    @task(2)
    def application_api(self) -> None:
        self.api_get(f"/api/v1/applications/{self.application}", "partner: application (API)")

    @task(1)
    def list_page(self) -> None:
        self.page("/applications", "partner: my applications")


class CommitteeMember(Someone):
    """A committee member reading the call's applications and writing reviews."""

    weight = 3

    def on_start(self) -> None:
        self.index = random.randrange(len(CAST.reviewers))
        self.as_person(CAST.reviewers[self.index])

    @task(3)
    def list_page(self) -> None:
        self.page("/applications?state=under_evaluation", "committee: list to review")

    @task(3)
    def read(self) -> None:
        if self.person.applications:
            app_id = random.choice(self.person.applications)
            self.page(f"/applications/{app_id}", "committee: application page")

    @task(2)
    def review(self) -> None:
        mine = [r for r in list(_reviews)[:200] if r[0] == self.index]
        if not mine:
            return
        pair = mine[0]
        _reviews.remove(pair)
        app_id = pair[1]
        self.declare(app_id)
        call = _call_of(app_id)
        scores = {k: random.randint(top // 2, top) for k, top in CAST.criteria[call].items()}
        with self.client.post(
            f"/api/v1/applications/{app_id}/reviews",
            json={"scores": scores, "recommendation": "favourable", "comment": "Coherent chain."},
            headers=self.api, name="committee: review (API)", catch_response=True,
        ) as answer:  # fmt: skip
            ANSWERED.append(("review", app_id, self.person.email, answer.status_code))

    def declare(self, app_id: int) -> None:
        """No conflict of interest, before the member's first review of the application (a
        member who declared already, e.g. in the bench's history, gets a 409: nothing to do)."""
        with self.client.post(
            f"/api/v1/applications/{app_id}/declaration",
            json={"conflict": False},
            headers=self.api, name="committee: declare (API)", catch_response=True,
        ) as answer:  # fmt: skip
            if answer.status_code == 409:
                answer.success()


def _call_of(app_id: int) -> str:
    """The bench spreads applications over the calls by id (``build.Builder._application``)."""
    return str((app_id - 1) % len(CAST.criteria) + 1)


class Officer(Someone):
    """An officer on the dashboard and the lists."""

    weight = 2

    def on_start(self) -> None:
        self.as_person(CAST.officers[0])

    @task(3)
    def dashboard(self) -> None:
        self.page(CAST.dashboard, "officer: dashboard")

    @task(2)
    def submitted_list(self) -> None:
        self.page("/applications?state=submitted", "officer: list by state")

    @task(1)
    def api_list(self) -> None:
        self.api_get("/api/v1/applications?state=submitted", "officer: list (API)")


class Public(HttpUser):
    """Anyone reading the registry of recognised value chains."""

    weight = 4
    wait_time = between(*WAIT)

    @task(3)
    def registry(self) -> None:
        self.client.get("/registry", name="public: registry")

    @task(1)
    def registry_api(self) -> None:
        self.client.get("/api/v1/registry", name="public: registry (API)")
