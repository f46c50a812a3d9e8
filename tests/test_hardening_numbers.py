"""Numbers and expressions from hostile files (issue 13): every number is bounded
to format 1's range as it is read, in linear time, with a diagnostic; long
left-deep chains are refused by a depth limit that counts the way checking and
play recurse, so no RecursionError is left anywhere."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from journey.scenario import expr as ex
from journey.scenario import load
from journey.scenario.numbers import INT_LIMIT, OutOfRange, read_int

REGRESSIONS = Path(__file__).parent / "regressions"
_PYYAML = yaml.constructor.SafeConstructor()


def _pyyaml_int(text: str) -> int:
    return int(_PYYAML.construct_yaml_int(yaml.ScalarNode("tag:yaml.org,2002:int", text)))


def _spellings(value: int) -> list[str]:
    sign, n = ("-" if value < 0 else ""), abs(value)
    out = [f"{sign}{n}", f"{sign}0x{n:x}", f"{sign}0b{n:b}", f"{sign}0{n:o}" if n else "0"]
    if n >= 60:
        parts, rest = [], n
        while rest:
            rest, digit = divmod(rest, 60)
            parts.append(str(digit))
        out.append(sign + ":".join(reversed(parts)))
    return out


@given(st.integers(-INT_LIMIT, INT_LIMIT))
def test_read_int_agrees_with_pyyaml_in_range(value: int) -> None:
    for text in _spellings(value):
        assert yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False)).endswith(":int")
        assert read_int(text) == _pyyaml_int(text) == value, text


@given(st.integers(INT_LIMIT + 1, 10**40) | st.integers(-(10**40), -INT_LIMIT - 1))
def test_read_int_marks_everything_out_of_range(value: int) -> None:
    for text in _spellings(value):
        assert read_int(text) == OutOfRange(text) and isinstance(read_int(text), OutOfRange)


def test_read_int_is_linear_on_a_megabyte_of_base_60() -> None:
    text = "1:" + ":".join(["59"] * 1_000_000)
    start = time.process_time()
    assert isinstance(read_int(text), OutOfRange)
    assert isinstance(read_int("0x" + "f" * 1_000_000), OutOfRange)
    assert read_int("0" * 1_000_000 + "7") == 7
    assert time.process_time() - start < 5


def test_a_base_60_file_under_the_size_cap_validates_quickly(cli: Callable, tmp_path: Path) -> None:
    """2.6 MB of base 60 took over 10 minutes (quadratic conversion)."""
    parts = ":".join(["59"] * 870_000)
    path = tmp_path / "sixty.yaml"
    path.write_text((REGRESSIONS / "base-60.yaml").read_text("utf-8").replace("1:59", "1:" + parts, 1))
    assert 2_500_000 < path.stat().st_size < 4_000_000
    start = time.process_time()
    result = cli("validate", str(path))
    assert time.process_time() - start < 20
    assert result.code == 1 and "outside format 1's range" in result.out


def test_regression_files_validate_with_diagnostics(cli: Callable) -> None:
    result = cli("validate", str(REGRESSIONS / "huge-hex.yaml"))
    assert result.code == 1 and "Traceback" not in result.out + result.err
    assert result.out.count("outside format 1's range") == 3  # year, start, and the literal in `if`
    result = cli("validate", str(REGRESSIONS / "base-60.yaml"))
    assert result.code == 1 and "year` should be a whole number, not a number outside" in result.out


def test_no_huge_number_survives_loading() -> None:
    """Anything out of range is kept as text, so no later str() can fail."""
    loaded = load(REGRESSIONS / "huge-hex.yaml")
    raw = loaded.raw
    assert raw is not None
    for variable in raw.variables.values():
        assert not isinstance(variable.start, int) or abs(variable.start) <= INT_LIMIT


@pytest.mark.parametrize("command", [["guide"], ["graph"], ["playtest"], ["play", "--plain"]])
def test_tools_refuse_a_file_with_a_huge_number_cleanly(cli: Callable, command: list[str]) -> None:
    result = cli(*command, str(REGRESSIONS / "huge-hex.yaml"))
    assert result.code == 1 and "outside format 1's range" in result.err


def test_expression_literals_are_bounded() -> None:
    assert ex.parse(str(INT_LIMIT)) == ex.Lit(INT_LIMIT, 0)
    assert ex.parse("0001") == ex.Lit(1, 0)
    for text in (str(INT_LIMIT + 1), "9" * 1999):
        with pytest.raises(ex.ExprError, match="outside format 1's range") as err:
            ex.parse(text)
        assert err.value.code == "E116"


@pytest.mark.parametrize("source", ["+".join(["1"] * 985), " and ".join(["a"] * 330), "1-" * 900 + "1"])
def test_left_deep_chains_are_refused(source: str) -> None:
    with pytest.raises(ex.ExprError, match="operators in one chain"):
        ex.parse(source)


def test_the_left_deep_regression_file(cli: Callable) -> None:
    result = cli("validate", str(REGRESSIONS / "left-deep-chains.yaml"))
    assert result.code == 1 and result.out.count("operators in one chain or nesting") == 2


def test_the_deepest_allowed_expression_plays_on_a_small_stack(cli: Callable, tmp_path: Path) -> None:
    """At the limit, checking, compiling, describing and evaluating recurse
    well within Python's limit (1,000), even with a front end's frames below."""
    chain = "+".join(["1"] * (ex.MAX_TREE_DEPTH + 1))
    ands = " and ".join(["a"] * (ex.MAX_TREE_DEPTH + 1))
    text = (REGRESSIONS / "left-deep-chains.yaml").read_text("utf-8")
    text = text.replace(text.split('n: "')[1].split('"')[0], chain)
    text = text.replace(text.split('if: "')[1].split('"')[0], ands)
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(ex.MAX_TREE_DEPTH + 300)
    try:
        assert cli("validate", str(path)).code == 0
        for pick in ("1", "2"):
            result = cli("play", "--plain", str(path), stdin=f"\n{pick}\n")
            assert result.code == 0 and "The end" in result.out, result.err
    finally:
        sys.setrecursionlimit(limit)
