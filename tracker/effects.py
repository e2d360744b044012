"""What a transition does besides moving the state, by the names workflow definitions use.

A definition says ``effects=("issue_quality_label",)``; the module owning that data registers
the function here. Effects run inside the transition's database transaction, after the state
changed and before the history row is flushed, so all of it commits or none of it does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EffectFn = Callable[[Any, Any, Any], None]  # (subject, firing, actor)
EFFECTS: dict[str, EffectFn] = {}


def effect(name: str) -> Callable[[EffectFn], EffectFn]:
    def register(fn: EffectFn) -> EffectFn:
        if name in EFFECTS:
            raise RuntimeError(f"effect {name!r} registered twice")
        EFFECTS[name] = fn
        return fn

    return register


def run_effects(subject: Any, firing: Any, actor: Any) -> None:
    for name in firing.transition.effects:
        EFFECTS[name](subject, firing, actor)
