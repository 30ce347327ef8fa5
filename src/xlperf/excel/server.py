"""A minimal xlwings Server for xlperf's buttons, bound to this PC by default.

    XLWINGS_LICENSE_KEY=... python -m xlperf.excel.server [--host 127.0.0.1] [--port 8000]

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
        book = xw.Book(json=data)
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
        description="Serve xlperf's Excel buttons to xlwings clients (VBA RunServerPython).",
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
    token = os.environ.get(TOKEN_VARIABLE) or None
    if not is_loopback(args.host) and not token:
        print(f"xlperf server: refusing to listen on {args.host} without {TOKEN_VARIABLE}: "
              "anyone who can reach it could run the buttons. Set a long random token "
              "(and put HTTPS in front), or keep the default --host 127.0.0.1.",
              file=sys.stderr)
        return 2
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        print("xlperf server: xlwings Server needs XLWINGS_LICENSE_KEY. Charities, public "
              "safety, health and government bodies may use 'noncommercial' under the "
              "PolyForm Noncommercial licence; others need a paid key. See docs/excel.md.",
              file=sys.stderr)
        return 2
    try:
        import uvicorn

        app = create_app(token)
    except ImportError as exc:
        print(f"xlperf server: {exc}. Install with: python -m pip install \"xlperf[excel]\"",
              file=sys.stderr)
        return 2
    uvicorn.run(app, host=args.host, port=args.port, ssl_certfile=args.ssl_certfile,
                ssl_keyfile=args.ssl_keyfile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
