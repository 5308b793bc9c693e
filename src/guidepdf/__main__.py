"""python -m guidepdf -> the CLI."""

from guidepdf.cli import main

main()
