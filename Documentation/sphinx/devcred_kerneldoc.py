# SPDX-License-Identifier: GPL-2.0
"""A small ``kernel-doc`` directive for building devcred's documentation
outside a kernel tree.

It runs the kernel's scripts/kernel-doc (path in the ``kerneldoc_bin``
setting, or the environment variable KERNELDOC) on a header and parses the
reStructuredText it prints in place of the directive, as the kernel's own
build does, so the structures are documented once: in the header.

    .. kernel-doc:: uapi/linux/devcred.h
       :doc: Error contract

    .. kernel-doc:: uapi/linux/devcred.h
       :internal:

``:doc: TITLE`` takes one DOC: section; ``:internal:`` every documented
structure, enum and function but no DOC: section (those are pulled one at a
time where the text needs them); ``:identifiers: A B`` only the ones named.
Paths are relative to ``kerneldoc_srctree`` (the repository's top).
Anything kernel-doc says on standard error becomes a Sphinx warning, so a
build with -W fails on a malformed comment.
"""

import os
import re
import subprocess

import sphinx
from docutils import nodes, statemachine
from docutils.parsers.rst import Directive, directives
from sphinx.util import logging
from sphinx.util.nodes import nested_parse_with_titles

logger = logging.getLogger(__name__)
LINENO = re.compile(r"^\.\. LINENO ([0-9]+)$")


class KernelDoc(Directive):
    required_arguments = 1
    option_spec = {
        "doc": directives.unchanged_required,
        "internal": directives.flag,
        "identifiers": directives.unchanged_required,
    }

    def command(self, path):
        env = self.state.document.settings.env
        cmd = [env.config.kerneldoc_bin, "-rst", "-enable-lineno",
               "-sphinx-version", sphinx.__version__]
        if "doc" in self.options:
            cmd += ["-function", self.options["doc"]]
        elif "identifiers" in self.options:
            for name in self.options["identifiers"].split():
                cmd += ["-function", name]
        else:
            cmd += ["-no-doc-sections"]
        return cmd + [path]

    def run(self):
        env = self.state.document.settings.env
        path = os.path.join(env.config.kerneldoc_srctree, self.arguments[0])
        env.note_dependency(os.path.abspath(path))
        try:
            proc = subprocess.run(self.command(path), capture_output=True,
                                  text=True, check=False)
        except OSError as err:
            raise self.severe("kernel-doc: cannot run %s: %s"
                              % (env.config.kerneldoc_bin, err))
        for line in proc.stderr.splitlines():
            # Perl's note about the Sphinx version it guesses is no problem.
            if line.strip() and "Sphinx version" not in line:
                logger.warning("kernel-doc: %s", line,
                               location=(env.docname, self.lineno))
        if proc.returncode:
            raise self.severe("kernel-doc failed (%d) on %s"
                              % (proc.returncode, path))

        # ".. LINENO n" lines tie each piece of text to the header's line,
        # so that Sphinx's messages point into the header.
        result = statemachine.ViewList()
        lineno = 0
        for line in proc.stdout.splitlines():
            match = LINENO.match(line)
            if match:
                lineno = int(match.group(1)) - 1
                continue
            result.append(line, path, lineno)
            lineno += 1
        node = nodes.section()
        nested_parse_with_titles(self.state, result, node)
        return node.children


def setup(app):
    default_bin = os.environ.get("KERNELDOC", "scripts/kernel-doc")
    app.add_config_value("kerneldoc_bin", default_bin, "env")
    app.add_config_value("kerneldoc_srctree", ".", "env")
    app.add_directive("kernel-doc", KernelDoc)
    return {"version": "1", "parallel_read_safe": True}
