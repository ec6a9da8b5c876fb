"""Find the article files under the paths a load is given, and open them safely.

Folders hold whatever users, scrapers and tools leave in them, so nothing found
in one may stop a load or hang it: a symbolic link loop, a broken link, a name
that is not UTF-8, a FIFO or a device each becomes one ``LoadProblem`` naming
it, and only regular files are ever opened for reading. Standard library only.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ..records import LoadNotice, LoadProblem, LoadWarning

EXTENSIONS = (".txt", ".jsonl", ".csv", ".html", ".htm")
KINDS = ".txt, .jsonl, .csv or .html"  # for messages


# --- finding ------------------------------------------------------------------------------


def discover(paths: Sequence[str | Path]) -> tuple[list[Path], list[LoadNotice]]:
    """Expand files and folders into the article files to read, in a deterministic order.

    Folders are searched recursively (sorted, hidden entries skipped); each file appears
    once. Returns the files and a problem for each path that gives nothing to read (a warning for
    a link skipped).
    """
    files: list[Path] = []
    problems: list[LoadNotice] = []
    for given in paths:
        found, refused = _expand(Path(given), str(given))
        files.extend(found)
        problems.extend(refused)
    return _unique(files), problems


def _expand(path: Path, name: str) -> tuple[list[Path], list[LoadNotice]]:
    """One path as given: the article files it is or holds, and its problems."""
    if not name.strip():  # Path("") would silently mean "."
        return [], [LoadProblem(name, "no such file or folder")]
    try:
        is_folder = stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as error:
        return [], [LoadProblem(name, os_reason(error, path))]
    except ValueError:  # a NUL character, which no file name holds
        return [], [LoadProblem(name, "no such file or folder")]
    if is_folder:
        found, refused = _walk(path)
        if not found and not refused:
            refused.append(LoadProblem(name, f"no {KINDS} articles in this folder"))
        return found, refused
    if path.suffix.lower() not in EXTENSIONS:
        return [], [LoadProblem(name, f"not a {KINDS} file")]
    problem = _name_problem(name)
    return ([], [LoadProblem(name, problem)]) if problem else ([path], [])


def _unique(files: list[Path]) -> list[Path]:
    """A file named directly and again through its folder must not be read twice."""
    unique: dict[str, Path] = {}
    for path in files:
        # os.path.realpath, unlike Path.resolve, leaves a symbolic link loop as it is.
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


def _walk(folder: Path) -> tuple[list[Path], list[LoadNotice]]:
    """The article files under ``folder``, and what could not be searched or named.

    Symbolic links to folders are not followed (a link to an ancestor would loop for ever);
    links to files inside the folder are listed and checked when read; links to files
    outside it are skipped with a note (a folder from someone else must not make the loader
    read the server's own files: ~/.ssh/id_rsa.txt, /etc/passwd via a link named a.txt).
    """
    found: list[Path] = []
    problems: list[LoadNotice] = []
    inside = os.path.realpath(folder)
    on_error = lambda error: problems.append(LoadProblem(error.filename, os_reason(error)))  # noqa: E731
    for dirpath, dirnames, filenames in os.walk(folder, onerror=on_error):
        # Hidden folders (.git, .ipynb_checkpoints...) hold copies and tool state, not articles.
        dirnames[:] = [name for name in dirnames if not name.startswith(".") and _searchable(dirpath, name, problems)]
        for name in filenames:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in EXTENSIONS:
                problem = _name_problem(name)
                path = os.path.join(dirpath, name)
                if problem:
                    problems.append(LoadProblem(path, problem))
                elif os.path.islink(path) and os.path.commonpath([inside, os.path.realpath(path)]) != inside:
                    problems.append(LoadWarning(path, "skipped: a link to a file outside the folder"))
                else:
                    found.append(Path(dirpath, name))
    return sorted(found, key=lambda path: path.relative_to(folder).parts), problems


def _searchable(parent: str, name: str, problems: list[LoadProblem]) -> bool:
    """A sub-folder whose name can be stored: its files' names become article ids and sources."""
    problem = _name_problem(name, "folder")
    if problem:
        problems.append(LoadProblem(os.path.join(parent, name), f"{problem}; its files were not read"))
    return not problem


def _name_problem(name: str, what: str = "file") -> str | None:
    """Why a path cannot name an article: bytes that are not UTF-8 (which Python keeps as
    lone surrogates) cannot be stored in SQLite as an id or a source."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError as error:
        char = name[error.start]
        byte = f" (byte 0x{ord(char) - 0xDC00:02x})" if "\udc80" <= char <= "\udcff" else ""
        return f"{what} name is not UTF-8{byte}; rename it"
    return None


def file_size(path: Path) -> int:
    """The size of a regular file to read, 0 for anything else (for estimates and progress)."""
    try:
        info = os.stat(path)
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


# --- opening ------------------------------------------------------------------------------


class NotRegular(Exception):
    """The path is a FIFO, a device, a socket or a folder; the message says which."""


_SPECIAL_KINDS = [
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
]


def _check_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotRegular(next((kind for test, kind in _SPECIAL_KINDS if test(mode)), "a special file"))


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` (links followed) for reading, if it is a regular file.

    A FIFO would block the load for ever and /dev/zero never ends, so anything else is
    refused: checked by name first (opening some devices has effects of its own), opened
    without blocking (a FIFO swapped in meanwhile must not wait for a writer), and checked
    again on the open file, which is what is then read.
    """
    _check_regular(os.stat(path).st_mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        _check_regular(os.fstat(fd).st_mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def os_reason(error: OSError, path: Path | str | None = None) -> str:
    """One line for an error opening or searching ``path``."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop (the link leads back to itself); fix or remove the link"
    if error.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return "broken symbolic link (what it points to does not exist); fix or remove the link"
    if error.errno == errno.ENOENT:
        return "no such file or folder"
    return f"cannot read it ({(error.strerror or 'input/output error').lower()})"
