"""Each workflow described for people, from the same definition the engine runs."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.errors import NotFound
from tracker.i18n import translate
from workflows import WORKFLOWS
from workflows.diagram import mermaid
from workflows.i18n import N_

bp = Blueprint("workflows", __name__, url_prefix="/workflows")


@bp.get("")
def index():
    return render_template("workflows/index.html", workflows=list(WORKFLOWS.values()))


@bp.get("/<name>")
def detail(name: str):
    workflow = WORKFLOWS.get(name)
    if workflow is None:
        raise NotFound(N_("No workflow named '%(name)s'.", name=name))
    incoming = {
        s.name: [t for t in workflow.transitions if t.dest == s.name] for s in workflow.states
    }
    return render_template(
        "workflows/detail.html",
        workflow=workflow,
        incoming=incoming,
        diagram=mermaid(workflow, say=translate, labelled=True),
    )
