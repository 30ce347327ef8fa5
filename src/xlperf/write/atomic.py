"""Atomic output: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(Exception):
    """The output cannot be written where the user asked (their situation, not a bug)."""


def lock_file_for(path: Path) -> Path | None:
    """An Excel/Word (~$name) or LibreOffice (.~lock.name#) lock file beside ``path``.

    Word shortens long names: 'briefing.docx' is locked by '~$iefing.docx'.
    """
    names = {"~$" + path.name, "~$" + path.name[1:], "~$" + path.name[2:],
             f".~lock.{path.name}#"}
    for name in sorted(names):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def written_by_xlperf(path: Path) -> bool:
    """True when ``path`` is an output xlperf wrote (safe to replace with a newer one)."""
    try:
        if path.suffix.lower() == ".xlsx":
            with zipfile.ZipFile(path) as package:
                names = package.namelist()
                strings = package.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in \
                    names else b""
                return b"xlperf-template" in strings and b"partnership-workbook" in strings
        if path.suffix.lower() == ".docx":
            with zipfile.ZipFile(path) as package:
                return b"<dc:creator>xlperf" in package.read("docProps/core.xml")
        return b"Produced by xlperf" in path.read_bytes()[:8192]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def check_output(path: Path, inputs: list[Path] | None = None, *, force: bool = False,
                 suffixes: tuple[str, ...] = (".xlsx",)) -> None:
    """Refuse to overwrite an input, a file xlperf did not write (unless ``force``), or a
    file that is open in Excel, Word or LibreOffice."""
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputError(f"{path.name}: xlperf writes {' or '.join(suffixes)} files; "
                          f"name the output like {path.stem}{suffixes[0]}.")
    target = path.resolve()
    for source in inputs or []:
        # xlperf's own earlier output in the folder is skipped as an input, so it may be
        # replaced; anything else there is a return
        if source.resolve() == target and not written_by_xlperf(path):
            raise OutputError(f"The output {path} is one of the inputs; choose another name.")
    lock = lock_file_for(path)
    if lock is not None:
        raise OutputError(
            f"{path} is open in another program (lock file {lock.name} beside it). "
            "Close it and run again, or write to another file with -o."
        )
    if not path.parent.exists():
        raise OutputError(f"The folder {path.parent} does not exist.")
    if path.exists() and not force and not written_by_xlperf(path):
        raise OutputError(f"{path} already exists and xlperf did not write it; choose "
                          "another name, or add --force to replace it.")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` only on success.

    The temporary name carries the writer's process id, so a run that was killed
    mid-write leaves nothing at ``path`` itself, and the next run clears its leftover.
    """
    _clear_leftovers(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-{os.getpid()}-",
                                    suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _clear_leftovers(path: Path) -> None:
    """Remove temporary files of earlier writers of ``path`` that are no longer running."""
    for old in path.parent.glob(f".{path.stem}-*-*{path.suffix}.tmp"):
        pid = old.name[len(path.stem) + 2:].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                old.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
