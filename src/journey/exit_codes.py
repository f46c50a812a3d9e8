"""The exit statuses of every `journey` command, in one place (docs/cli.md lists them)."""

EXIT_OK = 0  # done; for validate and playtest, nothing wrong was found
EXIT_ERRORS = 1  # the scenario or save has errors, or a check found problems
EXIT_USAGE = 2  # the command line is wrong: an unknown option, file or name
