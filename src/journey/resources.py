"""Where the built-in scenarios are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

DEFAULT = "north-korea"
BUILTIN_PREFIX = "builtin:"


def scenarios_dir() -> Path:
    """The built-in scenarios: inside the package when installed from a wheel,
    else the repository's `scenarios/` folder (an editable or source run)."""
    here = Path(__file__).resolve().parent
    packaged = here / "scenarios"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "scenarios"


def builtin_scenarios() -> dict[str, Path]:
    """Name -> main file: `scenarios/NAME.yaml` or `scenarios/NAME/NAME.yaml`."""
    root = scenarios_dir()
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for entry in sorted(root.iterdir()):
        if entry.is_file() and entry.suffix in (".yaml", ".yml"):
            found[entry.stem] = entry
        elif entry.is_dir():
            for suffix in (".yaml", ".yml"):
                main = entry / f"{entry.name}{suffix}"
                if main.is_file():
                    found[entry.name] = main
                    break
    return found


def resolve(ref: str) -> Path | None:
    """A scenario reference ("builtin:NAME" or a path) as a file path."""
    if ref.startswith(BUILTIN_PREFIX):
        return builtin_scenarios().get(ref[len(BUILTIN_PREFIX) :])
    return Path(ref)


def reference(path: Path) -> str:
    """How a save names its scenario: built-ins by name, since install paths move."""
    resolved = path.resolve()
    for name, main in builtin_scenarios().items():
        if main.resolve() == resolved:
            return BUILTIN_PREFIX + name
    return str(resolved)
