"""Command line -> the public API. Parses options, calls the library, prints, and maps our
errors to exit codes (0 ok, 1 some inputs rejected, 2 bad content or usage)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guidepdf import __version__
from guidepdf.atomic import write_text
from guidepdf.build import plan_builds, run_builds
from guidepdf.content import check_content
from guidepdf.readmany import find_pdfs, read_all
from guidepdf.safenames import unique_stem

EXIT_CONTENT = 2


def _load(content_dir: Path | None):  # type: ignore[no-untyped-def]
    content, errors = check_content(content_dir)
    if errors:
        for error in errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(errors)} problem(s) in the content; nothing was built.", err=True)
        sys.exit(EXIT_CONTENT)
    return content


@click.group()
@click.version_option(__version__, prog_name="guidepdf")
def main() -> None:
    """Role-specific action guide PDFs: build, distribute, read back, summarize."""


@main.command()
@click.argument("content_dir", required=False, type=click.Path(path_type=Path))
def check(content_dir: Path | None) -> None:
    """Validate a content folder and report every problem at once."""
    content, errors = check_content(content_dir)
    for error in errors:
        click.echo(str(error))
    if errors:
        click.echo(f"{len(errors)} problem(s) found.")
        sys.exit(EXIT_CONTENT)
    assert content is not None
    click.echo(f"{content.root}: OK — {len(content.roles)} roles, "
               f"{len(content.framework.standards)} standards, "
               f"{sum(len(r.questions) for r in content.roles)} questions.")


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help="Content folder (default: the shipped sample content).")
@click.option("--role", "roles", multiple=True, help="Role id to build (repeatable; default all).")
@click.option("--mode", type=click.Choice(["fillable", "print", "both"]), default="both",
              show_default=True)
@click.option("--paper", type=click.Choice(["letter", "a4"]), default="letter", show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("guides"),
              show_default=True)
def build(content_dir: Path | None, roles: tuple[str, ...], mode: str, paper: str,
          out_dir: Path) -> None:
    """Build guide PDFs (every role, both modes, by default) into OUT."""
    content = _load(content_dir)
    try:
        jobs = plan_builds(content, list(roles), mode, paper)
    except KeyError as exc:
        known = ", ".join(r.id for r in content.roles)
        raise click.UsageError(f"unknown role id(s): {exc.args[0]} (known: {known})") from None
    with click.progressbar(length=len(jobs), label="Building guides",
                           file=sys.stderr) as bar:
        paths = list(run_builds(content, jobs, out_dir, on_done=lambda job, path: bar.update(1)))
    click.echo(f"Wrote {len(paths)} PDF(s) to {out_dir}/")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("plans"),
              show_default=True)
@click.option("--content", "content_dir", type=click.Path(path_type=Path),
              help="Content to compare the forms with (default: the shipped content).")
def read(inputs: tuple[Path, ...], fmt: str, out_dir: Path, content_dir: Path | None) -> None:
    """Read filled guides (files or folders) into one plan file per form."""
    content = _load(content_dir)
    pdfs, _ = find_pdfs(inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    ok = warned = rejected = 0
    names: set[str] = set()
    for outcome in read_all(pdfs, content):
        if outcome.plan is None:
            rejected += 1
            click.echo(f"rejected  {outcome.path}: {outcome.reason}")
            continue
        name = unique_stem(outcome.path.stem, names)
        text = outcome.plan.to_yaml() if fmt == "yaml" else outcome.plan.to_json()
        write_text(out_dir / f"{name}.{fmt}", text)
        if outcome.plan.warnings:
            warned += 1
            click.echo(f"warnings  {outcome.path}: " + "; ".join(outcome.plan.warnings))
        else:
            ok += 1
            click.echo(f"ok        {outcome.path}")
    click.echo(f"Read {ok + warned} form(s) ({warned} with warnings), rejected {rejected}; "
               f"plans in {out_dir}/")
    if rejected:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
