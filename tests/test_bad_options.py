"""Hostile options: non-finite numbers, missing folders, `--data` after the subcommand,
`--json` everywhere it is offered, help that points at real options, file modes."""

from __future__ import annotations

import json
import os
import re
import stat

import click
import pytest

from wargame.cli import COMMANDS, cli as root_command


@pytest.mark.parametrize("args", [
    ["resolve", "-A", "strategic", "-a", "kpa-1-div", "-d", "rok-7-div", "--days", "nan"],
    ["odds", "-A", "strategic", "-a", "kpa-1-div", "-d", "rok-7-div", "--days", "inf"],
    ["print", "counters", "--back-offset", "nan,nan"],
    ["print", "counters", "--back-offset", "inf,0"],
    ["print", "counters", "--margin", "nan"],
    ["print", "counters", "--gutter", "-inf"],
    ["print", "map", "-s", "rc4", "--hex-size", "nan"],
    ["map", "extract", "x.toml", "--box", "nan,1,2,3"],
    ["map", "extract", "x.toml", "--hex-km", "inf"],
])
def test_non_finite_numbers_are_refused(cli, tmp_path, args):
    run = cli(*args, "-o", str(tmp_path / "out.pdf")) if args[0] == "print" else cli(*args)
    assert run.code == 2, run.out
    assert "finite" in run.err or "X,Y" in run.err or "WEST" in run.err, run.err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", [
    ["print", "counters", "-s", "rc4"], ["print", "aids"], ["print", "map", "-s", "rc4"],
    ["print", "booklet", "-s", "rc4"],
])
def test_a_missing_output_folder_is_refused_not_created(cli, tmp_path, args):
    target = tmp_path / "no" / "such" / "x.pdf"
    run = cli(*args, "-o", str(target))
    assert run.code == 2
    assert "there is no folder" in run.err and str(target.parent) in run.err
    assert not (tmp_path / "no").exists()


def test_documents_get_the_usual_mode(cli, tmp_path):
    old = os.umask(0o022)
    try:
        run = cli("print", "aids", "-o", str(tmp_path / "aid.pdf"))
    finally:
        os.umask(old)
    assert run.code == 0
    assert stat.S_IMODE((tmp_path / "aid.pdf").stat().st_mode) == 0o644


def test_data_is_accepted_after_the_subcommand(cli, mini_game):
    before = cli("--data", str(mini_game), "units")
    after = cli("units", "--data", str(mini_game))
    assert before.code == after.code == 0 and before.out == after.out
    assert "red-1" in after.out
    check = cli("check", "--data", str(mini_game))
    assert check.code == 0 and str(mini_game) in check.out
    missing = cli("check", "--data", str(mini_game / "nowhere"))
    assert missing.code == 2 and missing.err.count("error:") == 1


@pytest.mark.parametrize("args", [
    ["units"], ["units", "--scenario", "rc4"],
    ["resolve", "-a", "kpa-1-div", "-d", "rok-7-div", "--seed", "1"],
    ["resolve", "-A", "strategic", "-a", "kpa-1-div", "-d", "rok-7-div", "--seed", "1"],
    ["resolve", "-P", "strait-crossing", "-a", "pla-junk-1", "-a", "pla-118-div", "-d",
     "roc-3fleet-1", "-d", "roc-32-army", "--seed", "1"],
    ["odds", "-a", "kpa-1-div", "-d", "rok-7-div"],
    ["odds", "-A", "strategic", "-a", "kpa-1-div", "-d", "rok-7-div"],
    ["tables", "land"],
])
def test_every_json_option_prints_json(cli, args):
    run = cli(*args, "--json")
    assert run.code == 0, run.err
    json.loads(run.out)


def _every_command():
    """(path, command) of every command and group, loading the lazy ones."""
    stack = [((), root_command)]
    context = click.Context(root_command)
    while stack:
        path, command = stack.pop()
        yield path, command
        if isinstance(command, click.Group):
            names = command.list_commands(context) if command is root_command else \
                list(command.commands)
            for name in names:
                stack.append((path + (name,), command.get_command(context, name)))


def test_help_texts_point_at_commands_and_options_that_exist():
    commands = dict(_every_command())
    assert ("map", "extract") in commands and len(COMMANDS) >= 12
    mentioned = re.compile(r"`wargame ((?:[a-z]+ ?)+)((?: -{1,2}[a-z-]+(?: [A-Z0-9,.]+)?)*)")
    for path, command in commands.items():
        texts = [command.help or ""] + [getattr(p, "help", "") or "" for p in command.params]
        for text in texts:
            for words, options in mentioned.findall(text):
                target = tuple(words.split())
                while target and target not in commands:
                    target = target[:-1]  # trailing arguments, e.g. `wargame units show 107`
                assert target in commands, (path, text)
                names = {n for p in commands[target].params for n in getattr(p, "opts", [])}
                for option in re.findall(r"-{1,2}[a-z-]+", options):
                    assert option in names, (path, option, text)
