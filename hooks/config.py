"""Typed, validated settings: one source for each, ``[tool.kb]`` in pyproject.toml.

What MkDocs must also know (the bibliography that mkdocs-bibtex reads) is checked to
agree by the hook module; nothing is configured in two places.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting in [tool.kb] is missing its file or has a wrong type: exit status 2."""


@dataclass(frozen=True)
class Config:
    root: Path
    docs_dir: Path
    bibliography: Path
    schema: Path
    reviewers: Path
    sources_dir: Path
    source_schema: Path
    clinical_dirs: tuple[str, ...] = ("therapies", "conditions", "claims")
    review_interval_months: int = 12
    readability_max_grade: float = 8.0
    nav_window: int = 25

    @classmethod
    def load(cls, root: Path) -> Config:
        root = root.resolve()
        settings: dict[str, Any] = {}
        pyproject = root / "pyproject.toml"
        if pyproject.exists():
            try:
                settings = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("kb", {})
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{pyproject}: {exc}") from exc
        try:
            return cls(
                root=root,
                docs_dir=root / str(settings.get("docs_dir", "docs")),
                bibliography=root / str(settings.get("bibliography", "references.bib")),
                schema=root / str(settings.get("schema", "schema/frontmatter.schema.json")),
                reviewers=root / str(settings.get("reviewers", "data/reviewers.yml")),
                sources_dir=root / str(settings.get("sources_dir", "data/sources")),
                source_schema=root / str(settings.get("source_schema", "schema/source-record.schema.json")),
                clinical_dirs=tuple(str(d) for d in settings.get("clinical_dirs", cls.clinical_dirs)),
                review_interval_months=int(settings.get("review_interval_months", 12)),
                readability_max_grade=float(settings.get("readability_max_grade", 8)),
                nav_window=int(settings.get("nav_window", 25)),
            )
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{pyproject}: [tool.kb]: {exc}") from exc

    def is_clinical(self, rel: str) -> bool:
        """Pages under a clinical folder are clinical, except the folder's own landing page (index.md),
        which lists pages and makes no claims of its own."""
        folder, _, rest = rel.partition("/")
        return folder in self.clinical_dirs and rest not in ("", "index.md")
