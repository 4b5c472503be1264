"""OPTIONS on a route: gorilla/handlers' MethodHandler answers 200 with the Allow list and no body
(seen against 2.8.2, tests/live/test_gohttp_live.py); other unknown methods stay 405."""

from __future__ import annotations

import pytest

import regcompat as rc


@pytest.mark.parametrize("target,allow", [
    ("/v2/a/b/manifests/latest", "DELETE, GET, HEAD, PUT"),
    ("/v2/a/b/tags/list", "GET"),
    ("/v2/_catalog", "GET"),
])
def test_options_lists_the_methods(target, allow):
    response = rc.Registry("2.8").handle(rc.Request("OPTIONS", target))
    assert (response.status, response.headers.get("Allow"), response.body) == (200, allow, b"")
    assert response.headers.get("Content-Type") is None and response.headers.get("Content-Length") == "0"


def test_other_methods_are_still_405():
    response = rc.Registry("2.8").handle(rc.Request("BREW", "/v2/a/b/tags/list"))
    assert (response.status, response.headers.get("Allow")) == (405, "GET")
