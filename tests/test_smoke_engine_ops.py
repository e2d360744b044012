from tracker.applications.operations import available_transitions


def test_phase_one_walk(make, world):
    app = make.application(world.call, world.lead)
    opts = {o.trigger: o for o in available_transitions(world.lead, app)}
    assert opts["submit"].allowed, opts["submit"].unmet
    make.fire(app, world.lead, "submit")
    make.fire(app, world.reviewers[0], "admit")
    for r in world.reviewers:
        make.review(app, r)
    make.fire(app, world.reviewers[1], "close_evaluation")
    assert app.score == 100
    make.fire(app, world.officer, "grant_label", decree_number="12345", decree_date="2023-05-10")
    assert app.state == "label_granted"
    assert app.label.code.startswith("FIL-2023-")
    assert [h.trigger for h in app.history] == [
        "submit",
        "admit",
        "close_evaluation",
        "grant_label",
    ]
