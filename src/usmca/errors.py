"""Errors that name the file, row and column at fault, and what was expected there."""

from __future__ import annotations

from pathlib import Path


class UsmcaError(Exception):
    """Base class for errors the CLI reports as a clean message (exit code 2)."""


class DataFormatError(UsmcaError):
    """A source file does not have the layout or values its parser expects."""

    def __init__(
        self,
        file: str | Path,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: object = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        self.detail = message
        where = [f"file {Path(self.file).name}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = f"{', '.join(where)}: {message}"
        if expected is not None:
            text += f" (expected {expected}"
            text += f", found {found!r})" if found is not None else ")"
        super().__init__(text)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Keyword-only fields survive pickling (errors travel back from parser processes).
        return (_rebuild_format_error, (self.file, self.detail, self.row, self.column, self.expected, self.found))


def _rebuild_format_error(
    file: str, detail: str, row: int | None, column: str | None, expected: str | None, found: object
) -> DataFormatError:
    return DataFormatError(file, detail, row=row, column=column, expected=expected, found=found)


class FetchError(UsmcaError):
    """Downloading an official file failed after all retries."""


class StoreError(UsmcaError):
    """The store cannot be opened or written."""


class UnknownSourceError(UsmcaError):
    """No parser recognises a file."""
