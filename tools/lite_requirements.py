"""The lines for xlwings Lite's requirements.txt tab, for a hosted xlperf wheel.

xlperf is not on PyPI, so Lite installs it from the address of its wheel. Build the
wheel, put it where the browser may fetch it (a server that sends CORS headers, such as
GitHub Pages or raw.githubusercontent.com), then:

    python -m pip wheel --no-deps -w dist .
    python tools/lite_requirements.py --wheel-url \\
        https://raw.githubusercontent.com/OWNER/REPO/main/dist/xlperf-0.1.0-py3-none-any.whl

The address is checked (https, an xlperf wheel, not a GitHub page or release download,
which the browser cannot fetch) and the lines are printed, or written with -o. Without
--wheel-url the committed lite/requirements.txt is written: a placeholder line that
cannot install, so nobody pastes an address that does not exist. Steps: docs/excel.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "lite" / "requirements.txt"
#: not a valid requirement (spaces, angle brackets): Lite stops on it, and no package
#: of that name can ever be fetched in its place
PLACEHOLDER = "<replace this line with the https address of xlperf-VERSION-py3-none-any.whl>"
WHEEL_NAME = re.compile(r"^xlperf-(?P<version>[^-]+)-py3-none-any\.whl$")
GITHUB_FILE = re.compile(r"^/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?:blob|raw)/(?P<rest>.+)$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


class AddressError(ValueError):
    """The wheel address would not install in xlwings Lite; the message says why."""


def wheel_address(url: str) -> str:
    """``url`` checked, or turned into the address Lite can fetch (a GitHub file page
    becomes its raw.githubusercontent.com address)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.netloc in LOCAL_HOSTS):
        raise AddressError(f"'{url}' is not an https address; Excel's add-ins are served over "
                           "https and the browser refuses to fetch plain http from them.")
    name = parts.path.rsplit("/", 1)[-1]
    if not WHEEL_NAME.match(name):
        raise AddressError(f"'{name}' is not an xlperf wheel; build one with: python -m pip "
                           "wheel --no-deps -w dist . (it is named xlperf-VERSION-py3-none-any"
                           ".whl).")
    if parts.netloc == "github.com" and "/releases/download/" in parts.path:
        raise AddressError("GitHub release downloads are not sent with CORS headers, so Excel "
                           "cannot fetch them. Commit the wheel and use its "
                           "raw.githubusercontent.com address, or publish it with GitHub "
                           "Pages.")
    page = GITHUB_FILE.match(parts.path) if parts.netloc == "github.com" else None
    if page:
        return (f"https://raw.githubusercontent.com/{page['owner']}/{page['repo']}/"
                f"{page['rest']}")
    return url


def requirements_text(url: str | None) -> str:
    """What goes in the requirements.txt tab under Lite's own xlwings line."""
    lines = ["# xlwings Lite: add the last line below to the requirements.txt tab, under the",
             "# xlwings line Lite wrote there. Made by tools/lite_requirements.py; steps:",
             '# docs/excel.md, "xlwings Lite".']
    if url is None:
        lines += ["# The last line is a placeholder that will not install: build and host",
                  "# xlperf's wheel, then run",
                  "#     python tools/lite_requirements.py --wheel-url https://.../xlperf-"
                  "VERSION-py3-none-any.whl",
                  PLACEHOLDER]
    else:
        lines.append(wheel_address(url))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Print the lines for xlwings Lite's requirements.txt tab.",
        epilog="Example: python tools/lite_requirements.py --wheel-url https://raw."
               "githubusercontent.com/OWNER/REPO/main/dist/xlperf-0.1.0-py3-none-any.whl")
    parser.add_argument("--wheel-url", help="The https address of the hosted xlperf wheel. "
                        "Without it: the committed placeholder file.")
    parser.add_argument("-o", "--output", type=Path,
                        help="Write to this file (default: print; without --wheel-url: "
                             "lite/requirements.txt).")
    args = parser.parse_args(argv)
    try:
        text = requirements_text(args.wheel_url)
    except AddressError as exc:
        print(f"lite_requirements: {exc}", file=sys.stderr)
        return 2
    output = args.output or (COMMITTED if args.wheel_url is None else None)
    if output is None:
        print(text, end="")
    else:
        output.write_text(text, encoding="utf-8")
        print(f"Wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
