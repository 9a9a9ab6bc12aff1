"""MkDocs hook for `digest serve`: regenerate the Markdown tree before every rebuild."""

from __future__ import annotations

import os
from pathlib import Path

from generator.analyze import Analyzer
from generator.mkdocs_site import CONFIG_FILE, generate_tree, mkdocs_nav, read_site_config

_analyzers: dict[tuple, Analyzer] = {}  # kept across rebuilds: pipelines load once


def on_config(config):
    project_dir = Path(os.environ["DIGEST_PROJECT_DIR"])
    content_dir = Path(os.environ["DIGEST_CONTENT_DIR"])
    _, settings = read_site_config(project_dir / CONFIG_FILE)
    key = tuple(sorted(settings.pipelines.items()))
    analyzer = _analyzers.setdefault(key, Analyzer(settings.pipelines))
    _, tree, _ = generate_tree(project_dir, content_dir, analyzer)
    config.nav = mkdocs_nav(tree.nav)
    return config
