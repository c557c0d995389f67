"""Read-only views of the registry over plain DB-API: the digest, a case, the journal, explanations."""
