"""Forms of the report pages. They shape the input; the operations validate it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from tracker.web.forms import TrackerForm

#: the inputs a kind of report shows
PERIODIC_FIELDS = ("partners", "firms", "smes", "investments", "employment", "projects_started")
PROJECT_FIELDS = ("spend",)


class ReportForm(TrackerForm):
    version = HiddenField()
    summary = TextAreaField(_l("Summary"), render_kw={"rows": 5, "maxlength": 20000})
    partners = StringField(_l("Partners"), render_kw={"inputmode": "numeric"})
    firms = StringField(_l("Firms"), render_kw={"inputmode": "numeric"})
    smes = StringField(_l("SMEs"), render_kw={"inputmode": "numeric"})
    investments = StringField(_l("Investments made (EUR)"), render_kw={"inputmode": "decimal"})
    employment = StringField(_l("Employment (people)"), render_kw={"inputmode": "numeric"})
    projects_started = StringField(_l("Projects started"), render_kw={"inputmode": "numeric"})
    spend = StringField(
        _l("Eligible spend of the period (EUR)"), render_kw={"inputmode": "decimal"}
    )

    def fill(self, report) -> None:
        self.version.data = str(report.version)
        self.summary.data = report.summary
        for name in (*PERIODIC_FIELDS, *PROJECT_FIELDS):
            value = getattr(report, name)
            self[name].data = "" if value is None else str(value)

    def fields(self, kind: str) -> dict:
        names = PERIODIC_FIELDS if kind == "periodic" else PROJECT_FIELDS
        out = {"summary": self.summary.data or "", "version": self.version.data or None}
        out |= {n: (self[n].data or "").strip() for n in names}
        return out
