"""`journey schema`: the JSON Schema of scenario format 1, for editors.

The schema is generated from the records that the loader checks files against
(journey.scenario.schema), so an editor's YAML language server and
`journey validate` agree on which keys exist and what type each value has.
The loader checks more than any schema can say (that a `goto` names a scene,
that expressions parse): the editor catches typos as you type, `journey
validate` catches the rest.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..scenario.schema import json_schema
from .plumbing import ToolError, emit, guarded

SCHEMA_FILE = "format-1.schema.json"
INCLUDE_SCHEMA_FILE = "format-1.include.schema.json"


def schema(part: str = "scenario") -> dict[str, Any]:
    """The schema of a scenario file, or (part "include-file") of a file that a
    scenario includes: the same definitions, another root."""
    doc = json_schema()
    if part != "scenario":
        doc = {
            **doc,
            "$ref": f"#/$defs/{part}",
            "$id": doc["$id"].replace(".json", f".{part}.json"),
            "title": f"{doc['title']}: a file named by `include`",
        }
    return doc


def schema_text(part: str = "scenario") -> str:
    return json.dumps(schema(part), indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    part = "include-file" if getattr(args, "include_file", False) else "scenario"
    what = "the JSON Schema of " + ("included files" if part != "scenario" else "format 1")

    def body() -> int:
        if args.output and args.output.lower().endswith((".yaml", ".yml")):
            raise ToolError(
                f"{args.output}: the schema is JSON, and a .yaml name could be "
                f"a scenario; write it to a .json file, such as {SCHEMA_FILE}"
            )
        return emit(schema_text(part), args.output, "schema", what)

    return guarded("schema", body)
