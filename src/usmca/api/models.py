"""The request bodies of the API (pydantic models: their schema is the one in /openapi.json)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AS_OF_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"


def _request_schema(schema: dict[str, Any]) -> None:
    """The schema says what is accepted: exactly one of `text` or `yaml` (a string, not null); `as_of` a
    YYYY-MM-DD date between 1900 and 2100, or null."""
    props = schema["properties"]
    for name in ("text", "yaml"):
        props[name] = {
            "type": "string",
            "title": props[name].get("title", name),
            "description": props[name]["description"],
        }
    props["as_of"]["anyOf"] = [{"type": "string", "format": "date", "pattern": AS_OF_PATTERN}, {"type": "null"}]
    schema["oneOf"] = [{"required": ["text"]}, {"required": ["yaml"]}]
    schema["examples"] = [{"text": "Mexico purchased $335 billion of American goods in 2024.", "as_of": "2025-07-01"}]


class CheckRequest(BaseModel):
    """A text to check (`text`) or a YAML list of claims (`yaml`): exactly one of them."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=cast(Any, _request_schema),
    )

    # typed `str` with a default of None: an explicit null is refused, as the schema says
    text: str = Field(None, description="Plain text, Markdown or HTML to find claims in.")  # type: ignore[assignment]
    yaml: str = Field(None, description="A YAML list of claims (as for `usmca check claims.yaml`).")  # type: ignore[assignment]
    as_of: date | None = Field(None, description="Date of the text, YYYY-MM-DD (default: inferred from the text).")
    document: str | None = Field(None, max_length=200, description="A name for the document in the report.")

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of_text(cls, v: Any) -> Any:
        if v is not None and not (isinstance(v, date) or (isinstance(v, str) and re.fullmatch(AS_OF_PATTERN, v))):
            raise ValueError("as_of must be a date written YYYY-MM-DD, between 1900 and 2100")
        return v

    @field_validator("as_of")
    @classmethod
    def _year_range(cls, v: date | None) -> date | None:
        if v is not None and not (1900 <= v.year <= 2100):
            raise ValueError("as_of must be a date between 1900 and 2100")
        return v

    @model_validator(mode="after")
    def _one_input(self) -> CheckRequest:
        if (self.text is None) == (self.yaml is None):
            raise ValueError("give exactly one of 'text' or 'yaml'")
        return self


__all__ = ["AS_OF_PATTERN", "CheckRequest"]
