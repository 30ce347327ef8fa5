"""A minimal xlwings Server for xlperf's buttons, bound to this PC by default.

    XLWINGS_LICENSE_KEY=... xlperf serve [--host 127.0.0.1] [--port 8000]

(``python -m xlperf.excel.server`` takes the same options.)

It answers ``POST /xlwings/custom-scripts-call/<script>`` for the scripts in
:mod:`xlperf.excel.scripts`: the workbook comes in as JSON, the script runs on the
real xlwings remote engine, and the actions to apply go back. With
``XLPERF_SERVER_TOKEN`` set, every request must carry it in the Authorization header
(the xlwings setting AUTH); listening beyond this PC is refused without one. Put it
behind HTTPS (a reverse proxy, or --ssl-certfile/--ssl-keyfile): docs/excel.md.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import sys
from typing import Any

TOKEN_VARIABLE = "XLPERF_SERVER_TOKEN"
SCRIPTS_PATH = "/xlwings/custom-scripts-call/{script_name}"


def create_app(token: str | None = None) -> Any:
    """The FastAPI app. ``token``: the Authorization value every request must carry."""
    import xlwings as xw
    from fastapi import Body, FastAPI, Header, HTTPException
    from xlwings.server import custom_scripts_call

    from xlperf.excel import scripts

    app = FastAPI(title="xlperf", description="xlperf's Excel buttons as xlwings Server "
                  "scripts.", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "xlwings": xw.__version__}

    @app.post(SCRIPTS_PATH)
    async def run_script(script_name: str, data: dict[str, Any] = Body(...),  # noqa: B008
                         authorization: str | None = Header(None)) -> Any:
        if token and not _authorised(authorization, token):
            raise HTTPException(status_code=401, detail="Missing or wrong Authorization.")
        if script_name not in scripts.NAMES:
            raise HTTPException(status_code=404,
                                detail=f"No script '{script_name}'; scripts are: "
                                       + ", ".join(scripts.NAMES))
        try:
            book = xw.Book(json=data)
        except Exception as exc:  # a payload that is not a workbook
            raise HTTPException(status_code=400, detail="The request is not an xlwings "
                                "workbook payload.") from exc
        await custom_scripts_call(scripts, script_name, typehint_to_value={xw.Book: book})
        return book.json()

    return app


def _authorised(header: str | None, token: str) -> bool:
    given = (header or "").strip()
    if given.lower().startswith("bearer "):
        given = given[7:].strip()
    return secrets.compare_digest(given.encode(), token.encode())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xlperf.excel.server",
        description="Serve xlperf's Excel buttons to xlwings clients (VBA RunServerPython); "
                    "the same as 'xlperf serve'.",
        epilog="Example: XLWINGS_LICENSE_KEY=noncommercial python -m xlperf.excel.server "
               "--port 8000  (the noncommercial key only where the PolyForm Noncommercial "
               "licence allows: see docs/excel.md)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="Address to listen on (default 127.0.0.1: this PC only).")
    parser.add_argument("--port", type=int, default=8000, help="Port (default 8000).")
    parser.add_argument("--ssl-certfile", help="TLS certificate (PEM) to serve HTTPS directly.")
    parser.add_argument("--ssl-keyfile", help="TLS private key (PEM) for --ssl-certfile.")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return serve(args.host, args.port, args.ssl_certfile, args.ssl_keyfile)


def serve(host: str = "127.0.0.1", port: int = 8000, ssl_certfile: str | None = None,
          ssl_keyfile: str | None = None) -> int:
    """Serve until stopped (Ctrl+C): 0. When it cannot start: 2, having said why on
    stderr (no token for another host, the ``excel`` extra or the licence key missing)."""
    problem = _cannot_start(host, ssl_certfile, ssl_keyfile)
    if problem:
        print(f"xlperf server: {problem}", file=sys.stderr)
        return 2
    import uvicorn

    app = create_app(os.environ.get(TOKEN_VARIABLE) or None)
    scheme = "https" if ssl_certfile else "http"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"xlperf server: type {scheme}://{shown}:{port} next to 'xlperf server' on the "
          "Control sheet. Ctrl+C stops it.", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile)
    return 0


def _cannot_start(host: str, ssl_certfile: str | None, ssl_keyfile: str | None) -> str:
    """Why the server cannot start, or ""."""
    if not is_loopback(host) and not os.environ.get(TOKEN_VARIABLE):
        return (f"refusing to listen on {host} without {TOKEN_VARIABLE}: anyone who can "
                "reach it could run the buttons. Set a long random token (and put HTTPS in "
                "front), or keep the default --host 127.0.0.1.")
    if bool(ssl_certfile) != bool(ssl_keyfile):
        return "give --ssl-certfile and --ssl-keyfile together, or neither."
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
        import xlwings  # noqa: F401
    except ImportError as exc:
        return (f"the server needs {exc.name or 'fastapi, uvicorn and xlwings'}, which is not "
                "installed. Install the excel extra: in the xlperf folder, python -m pip install "
                "\".[excel]\" (or the wheel: python -m pip install "
                "\"xlperf-VERSION-py3-none-any.whl[excel]\")")
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        return ("xlwings Server needs XLWINGS_LICENSE_KEY. Charities, public safety, health "
                "and government bodies may use 'noncommercial' under the PolyForm "
                "Noncommercial licence; others need a paid key. See docs/excel.md.")
    return ""


if __name__ == "__main__":
    sys.exit(main())
