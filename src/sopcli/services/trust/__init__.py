"""What keeps the registry trustworthy: the audit chain, backup and restore, commissions and their roles."""
