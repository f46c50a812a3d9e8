"""What the game remembers between runs: the theme, the endings seen, and
whether plain mode is the default.

A small JSON file beside the saves. A damaged or missing file means defaults;
failing to write it never stops play. Outside `app/`, so plain mode and the
`play` command can read it without loading Textual."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from . import saves


def settings_path() -> Path:
    return saves.home() / "settings.json"


def read() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def write(data: dict[str, Any]) -> None:
    # a preference not remembered is no reason to interrupt a journey
    with contextlib.suppress(saves.SaveError):
        saves.atomic_write(settings_path(), json.dumps(data, ensure_ascii=False, indent=1))


def theme() -> str | None:
    value = read().get("theme")
    return value if isinstance(value, str) else None


def remember_theme(name: str) -> None:
    data = read()
    if data.get("theme") != name:
        data["theme"] = name
        write(data)


def endings_seen(scenario_id: str) -> set[str]:
    seen = read().get("endings", {})
    ids = seen.get(scenario_id, []) if isinstance(seen, dict) else []
    return {i for i in ids if isinstance(i, str)} if isinstance(ids, list) else set()


def remember_ending(scenario_id: str, ending_id: str) -> None:
    data = read()
    seen = data.get("endings")
    if not isinstance(seen, dict):
        seen = data["endings"] = {}
    known = endings_seen(scenario_id)
    if ending_id not in known:
        seen[scenario_id] = sorted(known | {ending_id})
        write(data)


def plain_default() -> bool:
    """True when the player chose plain mode as the default."""
    return read().get("plain") is True


def remember_plain_default(on: bool) -> None:
    data = read()
    if data.get("plain", False) != on:
        data["plain"] = on
        write(data)
