"""Notification events, as the registry's storage listener would send them.

Modelled (registry-behavior.md section 6): a push event after a manifest is
stored (before tagging), carrying the media type the manifest reports
(schema1 signed: prettyjws; before 2.3 always ``...v1+json``), the canonical
digest and size, the repository and the manifest URL; ``tag`` only from 2.4.
Pull events on every manifest read, HEAD included, so a converted GET reports
the stored schema2 (S) and a list rewrite reports two pulls; a conversion
also pulls the config blob, and pushes the empty layer blob when it had to
create it. A schema2 body without ``mediaType`` (stored by 2.3-2.6) sends no
push event: creating it fails, and the real registry only logs that.

Left out: the envelope, endpoints, retries and the ``actor``/``source`` fields.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Event"]


@dataclass(frozen=True, slots=True)
class Event:
    action: str          # "push" or "pull"
    target_kind: str     # "manifest" or "blob"
    repository: str
    media_type: str
    digest: str
    size: int
    url: str
    tag: str | None = None

    def as_dict(self) -> dict:
        target = {"mediaType": self.media_type, "size": self.size, "digest": self.digest,
                  "length": self.size, "repository": self.repository, "url": self.url}
        if self.tag is not None:
            target["tag"] = self.tag
        return {"action": self.action, "target": target}
