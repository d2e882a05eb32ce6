"""Wheel build hook: compile the optional C extension ``newsrepair._lmcore``.

The extension (``src/newsrepair/_lmcore.c``) computes the language model's probabilities
and reads text for spin detection; it only makes newsrepair faster, never different:
without it, the Python code computes the same. So a failed compilation (no C compiler,
no Python headers) is a warning and the wheel is pure Python; ``NEWSREPAIR_PURE_PYTHON=1``
at install time skips the compilation on purpose. An editable install (``pip install
-e``) puts the compiled module beside the sources, in ``src/newsrepair/``; reinstall
after editing the C file. When it builds none, it removes a module an earlier install
left there, which would no longer match the sources.

The compiler is driven by setuptools' ``build_ext`` (a build requirement), which knows
each platform's compiler and flags. Floating-point contraction is off, so that the C
arithmetic is the same as Python's, operation by operation (tests compare the two).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = os.path.join("src", "newsrepair", "_lmcore.c")


class CustomBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("NEWSREPAIR_PURE_PYTHON", "0") not in ("", "0"):
            self.app.display_info("newsrepair: NEWSREPAIR_PURE_PYTHON is set, the C extension is not built")
            self._remove_stale(version)
            return
        self._tmp = tempfile.mkdtemp(prefix="newsrepair-ext-")
        try:
            built = self._compile(self._tmp)
        except Exception as exc:  # any failure: a pure-Python wheel, which computes the same
            self.app.display_warning(f"newsrepair: the C extension was not built ({exc}); "
                                     "newsrepair will run in pure Python (slower, same results)")
            self._remove_stale(version)
            return
        name = os.path.basename(built)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "editable":
            shutil.copyfile(built, os.path.join(self.root, "src", "newsrepair", name))
        else:
            build_data["force_include"][built] = f"newsrepair/{name}"

    def _remove_stale(self, version: str) -> None:
        """In an editable install, remove the compiled module of an earlier one."""
        if version != "editable":
            return
        package = os.path.join(self.root, "src", "newsrepair")
        for name in os.listdir(package):
            if name.startswith("_lmcore.") and name.endswith((".so", ".pyd")):
                os.remove(os.path.join(package, name))
                self.app.display_warning(f"newsrepair: removed {name}, left by an earlier editable install")

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    def _compile(self, out: str) -> str:
        """Compile the extension into ``out``; the path of the compiled module."""
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        flags = [] if sys.platform == "win32" else ["-ffp-contract=off"]
        ext = Extension("newsrepair._lmcore", [os.path.join(self.root, SOURCE)], extra_compile_args=flags)
        cmd = build_ext(Distribution({"name": "newsrepair", "ext_modules": [ext]}))
        cmd.build_lib = out
        cmd.build_temp = os.path.join(out, "temp")
        cmd.ensure_finalized()
        cmd.run()
        return cmd.get_ext_fullpath("newsrepair._lmcore")
