"""Image references: the distribution grammar, kept apart from Docker's policy.

Grammar (distribution/reference v0.6.0 ``regexp.go``; the same language as
distribution v2.3's ``reference/regexp.go``)::

    reference       := name [ ":" tag ] [ "@" digest ]
    name            := [domain "/"] path-component ["/" path-component]*
    domain          := domain-component ["." domain-component]* [":" port-number]
    domain-component:= /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
    path-component  := alpha-numeric [separator alpha-numeric]*
    alpha-numeric   := /[a-z0-9]+/
    separator       := /[_.]|__|[-]+/
    tag             := /[\\w][\\w.-]{0,127}/
    digest          := algorithm ":" encoded   (then validated as go-digest does)

A name is at most 255 characters, counted over the whole name including the
domain, as distribution v2.x and reference v0.5.0 count it.

Docker's conventions (``docker.io``, ``library/``, ``latest``) live in
:func:`normalize`, not in the grammar. Left out: IPv6 domain literals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .digest import Digest, DigestError

__all__ = [
    "NAME_MAX_LENGTH", "NAME_RE", "TAG_RE", "Reference", "ReferenceError",
    "parse_reference", "validate_name", "normalize",
]

NAME_MAX_LENGTH = 255

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = _ALNUM + r"(?:" + _SEPARATOR + _ALNUM + r")*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_NAME = r"(?:" + _DOMAIN + r"/)?" + _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"

#: A repository name as the registry's router accepts it (path components only).
NAME_RE = re.compile(_PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*", re.ASCII)
TAG_RE = re.compile(_TAG, re.ASCII)
_REFERENCE_RE = re.compile(
    r"(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?", re.ASCII)

ERR_FORMAT = "invalid reference format"
ERR_NAME_EMPTY = "repository name must have at least one component"
ERR_NAME_TOO_LONG = "repository name must not be more than 255 characters"
ERR_UPPERCASE = "repository name must be lowercase"


class ReferenceError(ValueError):
    """A reference the grammar refuses; ``str(err)`` is distribution's message."""


@dataclass(frozen=True, slots=True)
class Reference:
    """A parsed reference: ``name`` (with its domain, if any), ``tag``, ``digest``."""

    name: str
    tag: str | None = None
    digest: Digest | None = None

    @property
    def domain(self) -> str:
        first, sep, _ = self.name.partition("/")
        return first if sep and ("." in first or ":" in first or first == "localhost"
                                 or first != first.lower()) else ""

    @property
    def path(self) -> str:
        """The repository path the registry sees (the name without its domain)."""
        domain = self.domain
        return self.name[len(domain) + 1:] if domain else self.name

    @property
    def reference(self) -> str:
        """What goes in the manifest URL: the digest if there is one, else the tag."""
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        text = self.name
        if self.tag:
            text += ":" + self.tag
        if self.digest:
            text += "@" + self.digest
        return text


def validate_name(name: str) -> str:
    """Check a repository path as the registry router does; return it."""
    if not name:
        raise ReferenceError(ERR_NAME_EMPTY)
    if len(name) > NAME_MAX_LENGTH:
        raise ReferenceError(ERR_NAME_TOO_LONG)
    if not NAME_RE.fullmatch(name):
        raise ReferenceError(ERR_FORMAT)
    return name


def parse_reference(text: str) -> Reference:
    """Parse ``name[:tag][@digest]`` by the grammar alone (no normalisation)."""
    if not text:
        raise ReferenceError(ERR_NAME_EMPTY)
    match = _REFERENCE_RE.fullmatch(text)
    if not match:
        if text.lower() != text and _REFERENCE_RE.fullmatch(text.lower()):
            raise ReferenceError(ERR_UPPERCASE)
        raise ReferenceError(ERR_FORMAT)
    name, tag, digest = match.groups()
    if len(name) > NAME_MAX_LENGTH:
        raise ReferenceError(ERR_NAME_TOO_LONG)
    parsed_digest = None
    if digest:
        try:
            parsed_digest = Digest(digest)
        except DigestError as err:
            raise ReferenceError(str(err)) from None
    return Reference(name, tag, parsed_digest)


def normalize(text: str) -> Reference:
    """Docker's policy on top of the grammar: ``docker.io``, ``library/``, ``latest``."""
    ref = parse_reference(text)
    name = ref.name
    if not ref.domain:
        name = "docker.io/" + (name if "/" in name else "library/" + name)
    tag = ref.tag if (ref.tag or ref.digest) else "latest"
    return Reference(name, tag, ref.digest)
