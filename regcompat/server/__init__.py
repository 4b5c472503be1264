"""regcompat over real HTTP: a WSGI adapter around ``Registry.handle``, served by waitress.

    >>> from regcompat.server import serve
    >>> with serve(Registry("2.8")) as url:       # http://127.0.0.1:PORT
    ...     Engine("1.10", url).push(sample_image(), "demo/app:latest")

``make_app`` needs only the standard library; ``serve`` and ``run`` need the
``[serve]`` extra (waitress) and import it when called.
"""

from __future__ import annotations

from .serve import run, serve
from .wsgi import make_app

__all__ = ["make_app", "run", "serve"]
