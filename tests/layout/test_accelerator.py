"""reportlab's C helpers (rl_accel) are a dependency and always in use: reportlab falls back
to Python twins without them, which format some numbers differently, so a summary or guide
would otherwise depend on what happened to be installed."""

import builtins

import reportlab.lib.rl_accel as accel


def test_reportlab_uses_its_c_helpers() -> None:
    for name in ("fp_str", "instanceStringWidthTTF", "escapePDF", "unicode2T1", "sameFrag"):
        helper = getattr(accel, name)
        assert type(helper) is type(builtins.len), f"{name} is reportlab's Python fallback"
        assert not helper.__name__.startswith("_py_")


def test_the_helpers_are_the_ones_reportlab_draws_with() -> None:
    from reportlab.pdfbase import ttfonts
    from reportlab.pdfgen import canvas, textobject

    assert canvas.fp_str is accel.fp_str
    assert textobject.fp_str is accel.fp_str
    assert ttfonts.instanceStringWidthTTF is accel.instanceStringWidthTTF
