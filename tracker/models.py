"""Import every model, so that the metadata (and Alembic) sees the whole schema."""


def load_all() -> None:
    from tracker.applications import models as _applications  # noqa: F401
    from tracker.auth import models as _auth  # noqa: F401
    from tracker.calls import models as _calls  # noqa: F401
    from tracker.labels import models as _labels  # noqa: F401
    from tracker.labels import operations as _label_effects  # noqa: F401  (registers effects)
    from tracker.organisations import models as _organisations  # noqa: F401
    from tracker.reviews import models as _reviews  # noqa: F401
    from tracker.reviews import operations as _review_effects  # noqa: F401  (registers effects)
