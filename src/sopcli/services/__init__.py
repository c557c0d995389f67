"""The domain's services, grouped by what a reader looks for (docs/architecture.md):

- `steps/` — the registry's steps, each one transaction: signal → check → recognition → programme → closure,
  movement, school, the obligations they open;
- `directory/` — who is who: agencies as offices name them, people, their names, signatories;
- `reading/` — read-only views: the digest, a case, the journal, a due date's explanation;
- `papers/` — what leaves the commission: XLSX exports, Word documents, forms, reminder letters, calendars;
- `files_in/` — files that come in: an agency's list, a complex of measures, a municipal bank;
- `trust/` — the audit chain, backup and restore, commissions and their roles.

`registry.py` is the open registry every service is handed; `calendar_store.py` its calendar settings.
"""
