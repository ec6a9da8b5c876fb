"""Store: the SQLite side: schema and frozen migrations, row layouts, the writer, counts and clusters.

Rule: SQL and sqlite-utils only; may import extract/ and score/ for the rows they make, never load/ or above.
"""
