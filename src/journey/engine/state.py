"""The game state as data, and its versioned JSON form."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, overload

STATE_VERSION = 1


class StateError(Exception):
    """A saved state that cannot be read; the message says why, for a player."""


@dataclass(frozen=True, slots=True)
class Step:
    """One choice taken: in which scene, which choice, and which roll outcome."""

    scene: str
    choice: int
    outcome: int = -1  # -1 when the choice had no roll
    to: str = ""  # the scene it led to


class Path(Sequence[Step]):
    """The steps walked, read like a tuple, grown by one step in constant time.

    A tuple would be copied whole at each choice (a cost growing with the
    journey). Instead the states of one journey share a list and each sees its
    first `len` steps: growing the newest state appends to the list; growing an
    older one (a second branch from the same state) copies its own steps first.
    The list only ever grows, so a state's steps never change under it."""

    __slots__ = ("_hash", "_length", "_steps")

    def __init__(self, steps: Iterable[Step] = ()) -> None:
        self._steps = list(steps)
        self._length = len(self._steps)
        self._hash: int | None = None

    def plus(self, step: Step) -> Path:
        """These steps and one more."""
        steps = self._steps
        if len(steps) != self._length:  # a later step of another branch is there
            steps = steps[: self._length]
        steps.append(step)
        grown = Path.__new__(Path)
        grown._steps, grown._length, grown._hash = steps, self._length + 1, None
        return grown

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Step]:
        return islice(self._steps, self._length)

    @overload
    def __getitem__(self, index: int) -> Step: ...
    @overload
    def __getitem__(self, index: slice) -> Path: ...
    def __getitem__(self, index: int | slice) -> Step | Path:
        if isinstance(index, slice):
            return Path(self._steps[: self._length][index])
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("path index out of range")
        return self._steps[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Path):
            if self._length != other._length:
                return False
            return self._steps is other._steps or self._steps[: self._length] == other._steps[: other._length]
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:  # as the equal tuple's
        if self._hash is None:
            self._hash = hash(tuple(self))
        return self._hash

    def __repr__(self) -> str:
        return f"Path({tuple(self)!r})"


@dataclass(frozen=True)
class State:
    """Where a journey is: the scene, every variable's value, how often each
    scene was visited, the persona, the seed and the number of draws made (so
    chance replays exactly), the once-choices taken, and the path walked. The
    engine never changes a state; each choice makes a new one."""

    scenario: str
    fingerprint: str
    scene: str
    vars: dict[str, int | bool]
    visits: dict[str, int]
    persona: str = ""
    seed: int = 0
    draws: int = 0
    taken: frozenset[str] = field(default_factory=frozenset)  # once-choices: "scene#index"
    path: Path = field(default_factory=Path)

    def __post_init__(self) -> None:
        if not isinstance(self.path, Path):  # a tuple or list of steps
            object.__setattr__(self, "path", Path(self.path))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "scenario": self.scenario,
            "fingerprint": self.fingerprint,
            "scene": self.scene,
            "vars": dict(self.vars),
            "visits": dict(self.visits),
            "persona": self.persona,
            "seed": self.seed,
            "draws": self.draws,
            "taken": sorted(self.taken),
            "path": [[s.scene, s.choice, s.outcome, s.to] for s in self.path],
        }

    @classmethod
    def from_json(cls, text: str | bytes) -> State:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise StateError(f"the save is not valid JSON ({exc})") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> State:
        if not isinstance(data, dict):
            raise StateError("the save does not hold a journey")
        version = data.get("version")
        if version != STATE_VERSION:
            raise StateError(f"the save has version {version!r}; this program reads version {STATE_VERSION}")
        try:
            return cls(
                scenario=_get(data, "scenario", str),
                fingerprint=_get(data, "fingerprint", str),
                scene=_get(data, "scene", str),
                vars={_key(k): _value(v) for k, v in _get(data, "vars", dict).items()},
                visits={_key(k): _int(v) for k, v in _get(data, "visits", dict).items()},
                persona=_get(data, "persona", str),
                seed=_int(data.get("seed")),
                draws=_int(data.get("draws")),
                taken=frozenset(_key(t) for t in _get(data, "taken", list)),
                path=Path(_step(s) for s in _get(data, "path", list)),
            )
        except (TypeError, ValueError) as exc:
            raise StateError(f"the save is damaged: {exc}") from None


def _get(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise TypeError(f"`{key}` should be {kind.__name__}")
    return value


def _key(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("a name is not text")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a whole number")
    return value


def _value(value: Any) -> int | bool:
    if not isinstance(value, int):
        raise TypeError(f"{value!r} is not a number or true/false")
    return value


def _step(item: Any) -> Step:
    if not isinstance(item, list) or len(item) != 4:
        raise TypeError("a step of the path is damaged")
    scene, choice, outcome, to = item
    return Step(_key(scene), _int(choice), _int(outcome), _key(to))
