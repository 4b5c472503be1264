"""The ``regcompat`` command: lab, serve, scenario, matrix, digest, convert.

    regcompat lab [DIR] [--source NOTEBOOKS_DIR] [--reset all|NN]
                                        learner copies in DIR, opened in JupyterLab
    regcompat workspace [DIR] [--source NOTEBOOKS_DIR] [--reset all|NN]
                                        only make the learner copies; prints the start lesson's path
    regcompat serve --registry-version 2.3.0 [--host 127.0.0.1] [--port 5000] [--schema1-push]
                    [--delete-enabled] [--secret S] [--max-body-size 1G] [--connection-limit 256]
                    [--idle-timeout 60]
    regcompat scenario --push 1.10 --registry 2.3.0 --pull 1.9 --by digest [--kind list] [--exchanges]
    regcompat matrix [--format table|csv|json]
    regcompat digest FILE               schema1-aware, the same answer as ``skopeo manifest-digest``
    regcompat convert MANIFEST --config CONFIG --name NAME --tag TAG [--keep-author]

Bad input (a missing file, an unknown version, a manifest that does not
parse) prints ``regcompat: <message>`` on stderr and exits 1, never a traceback.
``lab`` and ``serve`` import the notebook and server adapters only when run.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys

__all__ = ["main", "build_parser"]


class _Fail(Exception):
    """A user error: printed as ``regcompat: <message>``, exit status 1."""


def build_parser() -> argparse.ArgumentParser:
    from .engine import ENGINE_VERSIONS
    parser = argparse.ArgumentParser(prog="regcompat", description="Registry and Docker engine compatibility lab.")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    lab = sub.add_parser("lab", help="open JupyterLab on the learner copy of 00-start-here.ipynb")
    _workspace_arguments(lab)
    lab.add_argument("--port", type=int, default=None)
    lab.add_argument("--no-browser", action="store_true")
    ws = sub.add_parser("workspace", help="make learner copies of the lessons (outputs cleared)")
    _workspace_arguments(ws)
    _serve_arguments(sub.add_parser(
        "serve", help="serve a registry of one version over HTTP",
        description="Serve the model of one registry version as a Registry HTTP API v2 endpoint "
                    "(no TLS, no authentication), one access-log line per request on stderr."))
    sc = sub.add_parser("scenario", help="push with one engine, pull with another")
    sc.add_argument("--push", default="1.10", help=f"pushing engine ({', '.join(ENGINE_VERSIONS)})")
    sc.add_argument("--registry", default="2.3.0")
    sc.add_argument("--pull", default="1.9", help="pulling engine")
    sc.add_argument("--by", choices=("tag", "digest"), default="tag")
    sc.add_argument("--kind", choices=("image", "list"), default="image")
    sc.add_argument("--schema1-push", action="store_true")
    sc.add_argument("--exchanges", action="store_true", help="print every HTTP exchange")
    mx = sub.add_parser("matrix", help="every pusher x registry x puller x tag|digest x kind")
    mx.add_argument("--format", choices=("table", "csv", "json"), default="table")
    dg = sub.add_parser("digest", help="schema1-aware digest of a manifest file")
    dg.add_argument("file")
    cv = sub.add_parser("convert", help="schema2 manifest -> schema1 canonical payload")
    cv.add_argument("manifest")
    cv.add_argument("--config", required=True)
    cv.add_argument("--name", required=True)
    cv.add_argument("--tag", required=True)
    cv.add_argument("--keep-author", action="store_true", help="keep history author (registry 2.5+)")
    return parser


def _size(text: str) -> int:
    from .server.limits import parse_size
    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _serve_arguments(serve: argparse.ArgumentParser) -> None:
    from .server.limits import Limits
    limits = Limits()
    serve.add_argument("--registry-version", default="2.3.0", metavar="VERSION",
                       help="the registry version to behave as (default %(default)s)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default %(default)s: this machine only; any other "
                            "address prints a warning, as the registry has no authentication)")
    serve.add_argument("--port", type=int, default=5000, help="TCP port (default %(default)s)")
    serve.add_argument("--schema1-push", action="store_true",
                       help="2.7+: accept schema1 pushes (compatibility.schema1.enabled)")
    serve.add_argument("--delete-enabled", action="store_true",
                       help="allow DELETE of manifests and blobs (storage.delete.enabled); off: 405 UNSUPPORTED")
    serve.add_argument("--secret", default=None,
                       help="key of the HMAC that signs upload _state tokens (http.secret); default: "
                            "random at every start, so tokens from another run are refused")
    serve.add_argument("--max-body-size", type=_size, default=limits.max_body_size, metavar="SIZE",
                       help="largest request body, e.g. 512M or 2G; a larger Content-Length is answered "
                            f"413 before anything is read (default {limits.max_body_size >> 30}G)")
    serve.add_argument("--connection-limit", type=int, default=limits.connection_limit, metavar="N",
                       help="open connections at most; beyond it new clients wait to be accepted "
                            "(default %(default)s)")
    serve.add_argument("--idle-timeout", type=int, default=limits.idle_timeout, metavar="SECONDS",
                       help="close a connection idle or stalled mid-request for this long "
                            "(default %(default)s)")


def _workspace_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", default=None, metavar="DIR",
                        help="the learner workspace (default: ./regcompat-course, created if missing)")
    parser.add_argument("--source", default=None, metavar="NOTEBOOKS_DIR",
                        help="the lessons to copy (default: the repository's notebooks/)")
    parser.add_argument("--reset", default=None, metavar="all|NN",
                        help="restore the pristine copy of every lesson or of lesson NN (edited copy saved in .backups/)")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as err:
        raise _Fail(f"{path}: {err.strerror or err}") from None


def _cmd_lab(args, out) -> int:
    from .notebook.lab import launch
    return int(launch(folder=args.dir, source=args.source, reset=args.reset, port=args.port,
                      browser=not args.no_browser) or 0)


def _cmd_workspace(args, out) -> int:
    from .notebook.workspace import WorkspaceError, make_workspace
    try:
        made = make_workspace(args.dir, source=args.source, reset=args.reset)
    except WorkspaceError as err:
        raise _Fail(str(err)) from None
    print(f"regcompat: {made.summary()}", file=sys.stderr)
    print(made.start, file=out)
    return 0


def _cmd_serve(args, out) -> int:
    import uuid

    from .server import run
    from .server.limits import Limits
    try:
        limits = Limits(args.max_body_size, args.connection_limit, args.idle_timeout)
    except ValueError as err:
        raise _Fail(str(err)) from None
    registry = _registry(args.registry_version, schema1_push=args.schema1_push,
                         delete_enabled=args.delete_enabled, secret=args.secret,
                         upload_ids=lambda: str(uuid.uuid4()))  # random ids, as distribution makes
    print(f"regcompat: registry {registry.version} on http://{args.host}:{args.port}/v2/", file=out, flush=True)
    run(registry, args.host, args.port, limits=limits)
    return 0


def _registry(version: str, **config):
    from .registry import Registry
    try:
        return Registry(version, **config)
    except (ValueError, KeyError) as err:
        raise _Fail(str(err).strip("'\"")) from None


def _exchange_lines(exchanges) -> list[str]:
    lines = []
    for ex in exchanges:
        req, resp = ex.request, ex.response
        ct = resp.headers.get("Content-Type") or ""
        dcd = resp.headers.get("Docker-Content-Digest") or ""
        lines.append(f"  {req.method} {req.target} -> {resp.status} {ct} {dcd}".rstrip())
    return lines


def _cmd_scenario(args, out) -> int:
    from .scenarios import scenario
    _registry(args.registry)
    try:
        result = scenario(push_engine=args.push, registry=args.registry, pull_engine=args.pull, by=args.by,
                          kind=args.kind, **({"schema1_push": True} if args.schema1_push else {}))
    except ValueError as err:
        raise _Fail(str(err)) from None
    lines = [f"$ docker push ({result.push_engine}) -> registry {result.registry_version}"]
    lines += ["  " + line for line in result.push.output]
    lines += ["  daemon log: " + line for line in result.push.daemon_log]
    if args.exchanges:
        lines += _exchange_lines(result.push.exchanges)
    if result.pull is not None:
        lines.append(f"$ docker pull {result.reference} ({result.pull_engine})")
        lines += ["  " + line for line in result.pull.output]
        if args.exchanges:
            lines += _exchange_lines(result.pull.exchanges)
    lines.append(f"outcome: {result.outcome}")
    print("\n".join(lines), file=out)
    return 0


def _short(value) -> str:
    if value is None:
        return "-"
    text = str(value)
    if text.startswith("sha256:"):
        return text[7:19]
    return text.replace("application/vnd.docker.distribution.manifest.", "").replace("\n", " ").strip()


def _table(rows: list[dict]) -> str:
    cols = ("pusher", "registry", "puller", "by", "kind", "outcome", "digest", "media_type", "error")
    cells = [[_short(r[c]) if c != "error" else _short(r[c])[:70] for c in cols] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(cols)]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    return "\n".join([fmt.format(*cols).rstrip()] + [fmt.format(*row).rstrip() for row in cells])


def _cmd_matrix(args, out) -> int:
    from .scenarios import MATRIX_COLUMNS, compatibility_matrix
    rows = compatibility_matrix()
    if args.format == "json":
        out.write(json.dumps(rows, indent=1) + "\n")
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(MATRIX_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out.write(buf.getvalue())
    else:
        out.write(_table(rows) + "\n")
    return 0


def _cmd_digest(args, out) -> int:
    from .manifest import ManifestError, manifest_digest
    try:
        print(manifest_digest(_read(args.file)), file=out)
    except ManifestError as err:
        raise _Fail(str(err)) from None
    return 0


def _cmd_convert(args, out) -> int:
    from .manifest import ManifestError, schema2
    from .manifest.convert import schema2_to_schema1
    from .reference import ReferenceError, TAG_RE, validate_name
    try:
        validate_name(args.name)
    except ReferenceError as err:
        raise _Fail(f"invalid name {args.name!r}: {err}") from None
    if not TAG_RE.fullmatch(args.tag):
        raise _Fail(f"invalid tag {args.tag!r}")
    try:
        manifest = schema2.parse(_read(args.manifest))
        payload = schema2_to_schema1(_read(args.config), list(manifest.layers), args.name, args.tag,
                                     keep_author=args.keep_author)
    except ManifestError as err:
        raise _Fail(str(err)) from None
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(payload)
        buffer.flush()
    else:
        out.write(payload.decode("utf-8"))
    return 0


_COMMANDS = {"lab": _cmd_lab, "workspace": _cmd_workspace, "serve": _cmd_serve, "scenario": _cmd_scenario,
             "matrix": _cmd_matrix,
             "digest": _cmd_digest, "convert": _cmd_convert}


def main(argv: list[str] | None = None, *, out=None, err=None) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.verb](args, out)
    except _Fail as fail:
        print(f"regcompat: {fail}", file=err)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
