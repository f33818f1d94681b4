"""The usmca web service: `create_app()` builds the FastAPI app (see docs/report-and-api.md)."""

from usmca.api.app import create_app

__all__ = ["create_app"]
