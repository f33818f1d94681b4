"""`python -m usmca`: the same command as `usmca`."""

from usmca.cli import run

run(prog_name="usmca")
