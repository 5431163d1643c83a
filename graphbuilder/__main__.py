"""`python -m graphbuilder` runs the command line."""

from .cli import main

main()
