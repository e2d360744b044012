"""The shapes of the search API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import Field

from tracker.api.schemas import Page, ResponseModel


class SearchHitOut(ResponseModel):
    id: int
    title: str = Field(
        description="The application's title or the organisation's name, as HTML: matched "
        "words in <mark>, everything else escaped."
    )
    snippet: str = Field(
        description="Where the words were found in the concept note, as HTML like title; empty "
        "when they were found in the title only, and always for the public."
    )
    state: str | None = Field(None, description="An application's state.")
    workflow: str | None = Field(None, description="An application's workflow.")
    label_code: str | None = Field(
        None, description="The quality label's code, for a value chain in the public registry."
    )
    kind: str | None = Field(None, description="An organisation's kind.")
    province: str | None = Field(None, description="An organisation's province.")


class SearchGroupOut(Page):
    items: list[SearchHitOut]


class SearchOut(ResponseModel):
    q: str
    words: list[str] = Field(
        description="The words searched: letters and digits of q, lower case, accents removed, "
        "each matched as the start of a word; all must be found."
    )
    applications: SearchGroupOut | None = Field(
        description="Applications the caller may see whose title or concept note has every "
        "word (the public: value chains in the registry, by title); null when ?in= names the "
        "other group."
    )
    organisations: SearchGroupOut | None = Field(
        description="Organisations whose name has every word (the public: those in the "
        "registry's value chains); null when ?in= names the other group."
    )
