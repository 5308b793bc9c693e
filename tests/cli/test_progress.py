"""One progress style for long work (guidepdf.progress): off a terminal, a line at every
tenth and at the end; the same lines from build, personalize, collect and send."""

from __future__ import annotations

import io

from guidepdf.progress import Progress


def test_off_a_terminal_a_line_per_tenth() -> None:
    """300 steps give 11 lines, 0% to 100%, with the item shown."""
    out = io.StringIO()
    with Progress("Sending", 300, file=out, terminal=False) as bar:
        for n in range(300):
            bar.advance(item=f"sent p{n + 1}")
    lines = out.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0] == "Sending: 1/300 (0%) sent p1"
    assert lines[1] == "Sending: 30/300 (10%) sent p30"
    assert lines[-1] == "Sending: 300/300 (100%) sent p300"


def test_a_total_known_only_at_the_first_report() -> None:
    """Called as progress(done, total), the total comes with the first report."""
    out = io.StringIO()
    bar = Progress("Reading forms", file=out, terminal=False)
    for done in range(1, 5):
        bar(done, 4)
    bar.close()
    assert out.getvalue().splitlines() == ["Reading forms: 1/4 (25%)", "Reading forms: 2/4 (50%)",
                                           "Reading forms: 3/4 (75%)",
                                           "Reading forms: 4/4 (100%)"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_bar_with_the_count() -> None:
    """On a terminal it is click's bar, with position and item, finished on close."""
    out = _Terminal()
    with Progress("Building guides", 2, file=out, terminal=True) as bar:
        bar.advance(item="coach-print.pdf")
        bar.advance(item="coach-fillable.pdf")
    text = out.getvalue()
    assert "Building guides" in text and "2/2" in text and "coach-fillable.pdf" in text
    assert "Building guides: " not in text  # not the line style


def test_collect_shows_reading_then_each_output_being_written(tmp_path, guide) -> None:  # type: ignore[no-untyped-def]
    """collect: the reading progress, then one line per output file as it is written."""
    from click.testing import CliRunner

    from guidepdf.cli import main
    from guidepdf.report.collect import OUTPUTS

    returned = tmp_path / "returned"
    returned.mkdir()
    for n in range(2):
        (returned / f"form-{n}.pdf").write_bytes(guide("teacher"))
    out = tmp_path / "summary"
    result = CliRunner().invoke(main, ["collect", str(returned), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "Reading forms: 2/2 (100%)" in lines
    writing = [line for line in lines if line.startswith("Writing the summary: ")]
    total = len(OUTPUTS)
    counts = [line.split(": ", 1)[1].split(" (")[0] for line in writing]
    assert counts == [f"{n}/{total}" for n in range(total)] + [f"{total}/{total}"]
    assert {line.rsplit(" ", 1)[1] for line in writing[:-1]} == {str(out / n) for n in OUTPUTS}
    assert writing[-1] == f"Writing the summary: {total}/{total} (100%) done"
    assert lines.index("Reading forms: 2/2 (100%)") < lines.index(writing[0])
