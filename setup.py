"""Build hook: ship the top-level content/ and fonts/ inside the wheel as guidepdf/data/.

The project keeps content/ and fonts/ at the top level (where editors of content find them);
a plain `pip install .` must still carry them, so build_py copies them into the package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "guidepdf" / "data"
        for name in ("content", "fonts"):
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(ROOT / name, dest)


setup(cmdclass={"build_py": BuildWithData})
