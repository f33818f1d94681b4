"""`python -m usmca`: the same command as `usmca`."""

from usmca.cli import app

app(prog_name="usmca")
