"""The registry's steps: each one transaction, each returns what changed (STYLE.md)."""
