"""The audit trail and notifications: who did what, when and why, kept forever.

Its own app because every other app writes to it and nothing may change what it holds: rows
are append-only in Python (save refuses updates, delete refuses) and, on PostgreSQL, a trigger
refuses UPDATE and DELETE outright.
"""
