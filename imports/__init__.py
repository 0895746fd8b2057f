"""Imports from campus systems (seed 000): files of records that other offices already hold.

An app of its own because it has its own models (a batch per file, a row link per imported
record, which is what makes re-importing a file change nothing) and its own pages and command;
the records it creates are ordinary career entries, approved on arrival.
"""
