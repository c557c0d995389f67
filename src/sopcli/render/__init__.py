"""Views of result objects: JSON for scripts, rich tables for people (STYLE.md §5)."""
