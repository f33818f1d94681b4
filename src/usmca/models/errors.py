"""Errors of the input-output models."""

from __future__ import annotations

from usmca.errors import UsmcaError


class IOModelError(UsmcaError, ValueError):
    """Raised when input-output data cannot be used as given.

    The message always names *what* is wrong and *where* (block name, row/column label
    or position), e.g. ``"A: column sums >= 1 (non-productive economy) for sectors
    ('USA', 'c1')"``.
    """
