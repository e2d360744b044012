"""Helpers of the account tests."""

from __future__ import annotations


def copy_of(app, client):
    """Another client holding a copy of ``client``'s cookies (a stolen session cookie)."""
    other = app.test_client()
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other
