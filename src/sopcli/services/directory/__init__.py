"""Who is who: agencies as offices name them, people and their names, signatories."""
