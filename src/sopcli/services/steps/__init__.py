"""The registry's steps: each one transaction, validated before it writes, returning what changed."""
