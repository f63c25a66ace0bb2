"""Sphinx configuration for healthlib's documentation (`make docs`).

The pages are MyST Markdown, readable on their own as plain Markdown. The
build needs nothing from the network: the theme is Sphinx's own alabaster
and no extension fetches anything.
"""

project = "healthlib"
author = "the healthlib contributors"
copyright = "the healthlib contributors"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# Anchors for headings down to level 3, so that links such as
# failure-recovery.md#full-disk work between pages (and on GitHub).
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = "healthlib"
html_theme_options = {"description": "A health-library CMS on Django"}
