"""One error type, one message format: the file, the line where known, and the cause."""

from __future__ import annotations


class DigestError(Exception):
    """A problem with an input file, as `Error reading 'x.md': line 3: <what is wrong>`."""

    def __init__(self, path: str, reason: str, line: int | None = None, what: str = "reading"):
        self.path = path
        self.reason = reason
        self.line = line
        self.what = what
        super().__init__(str(self))

    @property
    def location(self) -> str:
        return self.path if self.line is None else f"{self.path}, line {self.line}"

    def __str__(self) -> str:
        return f"Error {self.what} '{self.path}': " + (
            self.reason if self.line is None else f"line {self.line}: {self.reason}"
        )
