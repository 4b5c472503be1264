"""Catalog and tag listing, with pagination, on a fresh real 2.8.2 and a fresh model side by side.

Both start empty (the catalog lists every repository on the server), get the
same pushes, then the same ``_catalog`` and ``tags/list`` requests with and
without ``n``/``last``; the ``Link`` header of each page is compared too.
Tag order is compared exactly only where the registry sorts (paginated
answers); see differential.py for unpaginated tag lists.
"""

from __future__ import annotations

import pytest

from regcompat.mediatypes import MediaType
from regcompat.testing import random_image


pytestmark = pytest.mark.live

REPOS = ["zeta/app", "alpha/app", "alpha/lib", "mid", "alpha/app/sub"]
TAGS = ["latest", "1.0", "1.10", "1.9", "beta", "Alpha"]


def test_catalog_and_tags_pagination(fresh_pair):
    pair = fresh_pair
    pair.send("GET", "/v2/_catalog", step="empty catalog")
    image = random_image(90, layers=1)
    for repo in REPOS:
        for blob in image.blobs():
            pair.upload(repo, blob.data, str(blob.digest))
        for tag in TAGS:
            pair.send("PUT", f"/v2/{repo}/manifests/{tag}", [("Content-Type", MediaType.SCHEMA2)],
                      image.schema2().raw, step=f"push {repo}:{tag}")
    queries = ["", "?n=2", "?n=2&last=alpha/lib", "?n=0", "?n=100", "?last=mid", "?n=abc", "?n=-1"]
    for query in queries:
        real, ours = pair.send("GET", f"/v2/_catalog{query}", step=f"catalog {query}")
        assert real.headers.get("Link") == ours.headers.get("Link"), query
    for query in ["?n=2", "?n=2&last=1.10", "?n=3&last=Alpha", "?n=0", "?last=beta"]:
        real, ours = pair.send("GET", f"/v2/alpha/app/tags/list{query}", step=f"tags {query}")
        assert real.headers.get("Link") == ours.headers.get("Link"), query
