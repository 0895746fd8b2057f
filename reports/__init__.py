"""Counseling reports: the printable PDF of one student's record, batches of them, and the
one-page employment/start-up portfolio a student can share by a signed link.

A separate app because reports have their own models (batch runs with progress and their ZIP
archives, the per-student share nonce), their own pages and a rendering pipeline (WeasyPrint)
that no other app needs. Reports only read: careers (profile, self-introduction, entries),
scoring (stored results), scholarships (DU-HEART balance) and advising (counseling sessions,
honors club) when it is installed; nothing here writes upstream.
"""
