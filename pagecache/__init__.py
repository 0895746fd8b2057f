"""Rendered pages kept in the cache while nothing they show has changed (issue 12's load targets).

A page's HTML is stored under a key made of who asks, what they ask for, and version counters
that PostgreSQL triggers advance in the same transaction as every write to a table the page reads
(`pagecache.watch`): ORM saves, `update()`, bulk and raw SQL, COPY alike. A counter is read before
the page is rendered, so a stored page is never older than its key. An app of its own because it
owns a table (the counters) and the triggers on other apps' tables.
"""
