# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for devcred's documentation: `make docs` builds it
# into build/docs/html with warnings as errors.
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "sphinx"))

project = "devcred"
author = "The devcred developers"
copyright = "the devcred developers; GPL-2.0"

extensions = ["devcred_kerneldoc"]
# The header's kernel-doc is read from the repository; scripts/docs sets
# KERNELDOC to the kernel's scripts/kernel-doc.
kerneldoc_srctree = os.path.dirname(here)
kerneldoc_bin = os.environ.get("KERNELDOC", "kernel-doc")

root_doc = "index"
# Only .rst is documentation; man pages are roff, bindings YAML.
source_suffix = {".rst": "restructuredtext"}
exclude_patterns = ["man", "devicetree", "sphinx"]
primary_domain = "c"
highlight_language = "none"
html_theme = "alabaster"
html_show_sourcelink = False
