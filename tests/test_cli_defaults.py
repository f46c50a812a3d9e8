"""`journey` alone skips the parser: what it plays with must be exactly what
`journey play` reads, so the shortcut can never change a default."""

from __future__ import annotations

import argparse

import pytest

from journey import cli, play


def test_the_defaults_are_what_the_parser_reads() -> None:
    assert vars(cli.parse(["play"])) == cli.PLAY_DEFAULTS
    assert vars(cli.parse([])) == cli.PLAY_DEFAULTS


def test_no_arguments_play_the_defaults_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[argparse.Namespace] = []

    def no_parser() -> argparse.ArgumentParser:
        raise AssertionError("the parser was built")

    def record(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(cli, "build_parser", no_parser)
    monkeypatch.setattr(play, "run_play", record)
    assert cli.main([]) == 0
    assert seen == [argparse.Namespace(**cli.PLAY_DEFAULTS)]


def test_options_alone_still_mean_play(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(play, "run_play", lambda args: seen.append(args) or 0)
    assert cli.main(["--plain", "--seed", "3"]) == 0
    assert vars(seen[0]) == {**cli.PLAY_DEFAULTS, "plain": True, "seed": 3}
