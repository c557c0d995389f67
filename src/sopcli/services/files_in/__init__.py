"""Files that come in: agencies' lists, complexes of measures, municipal banks, read defensively."""
