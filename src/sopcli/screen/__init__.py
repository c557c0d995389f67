"""The secretary's full-screen terminal app (`sopcli screen`, issue 33): a view over the same services."""
