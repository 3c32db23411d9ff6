"""The fenced code blocks of the documentation, and which of them run.

A block runs when its info string is a shell (``bash``, ``sh``, ``shell``) or ``python``. It is not run when
its info string also says ``illustration`` (```` ```bash illustration ````), or when the line before the
fence is ``<!-- doc-test: skip reason=... -->``; either way it says why (a skip without a reason is an
error). Python blocks that are not run are still compiled. Other blocks (diagrams, JSON, SQL, YAML) are text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SHELL = frozenset({"bash", "sh", "shell"})
PYTHON = frozenset({"python", "py"})
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[^`]*)$")
_SKIP = re.compile(r"^\s*<!--\s*doc-test:\s*skip(?:\s+reason=(?P<reason>.*?))?\s*-->\s*$")


class MarkupError(ValueError):
    """A block marked to skip without saying why, or a fence never closed."""


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    skip: str | None  # why it does not run; None: it runs

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.skip is None and self.language in SHELL | PYTHON


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, in order."""
    lines = path.read_text().splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence, words = opening["indent"], opening["fence"], opening["info"].split()
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), None)
        if end is None:
            raise MarkupError(f"{path.name}:{i + 1}: the fence is never closed")
        code = "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in lines[i + 1 : end])
        language = words[0].lower() if words else ""
        found.append(Block(path, i + 1, language, code + "\n", _why_not(path, lines, i, words)))
        i = end + 1
    return found


def _why_not(path: Path, lines: list[str], fence: int, words: list[str]) -> str | None:
    if "illustration" in words[1:]:
        return "an illustration"
    previous = next((lines[j] for j in range(fence - 1, -1, -1) if lines[j].strip()), "")
    marker = _SKIP.match(previous)
    if marker is None:
        return None
    if not (marker["reason"] or "").strip():
        raise MarkupError(f"{path.name}:{fence + 1}: doc-test: skip needs reason=...")
    return marker["reason"].strip()
