"""Counseling reports: the printable PDF of one student's record, batches of them, and the
one-page employment/start-up portfolio a student can share by a signed link.

A separate app because reports have their own models (batch runs with progress and their ZIP
archives, the per-student share nonce), their own pages and a rendering pipeline (WeasyPrint)
that no other app needs. Reports only read: careers (profile, self-introduction, entries),
scoring (stored results), scholarships (DU-HEART balance) and advising (counseling sessions,
honors club, special groups); nothing here writes upstream.

Choices where issue 11 and seed 000 leave room (decided here, change them here):
- A batch is one ZIP with one PDF per student (not one merged PDF): a counselor files or mails
  each student's copy separately, and a ZIP of finished PDFs needs no second rendering.
- Counselors' private notes appear only in reports for readers advising.selectors.may_read_notes
  allows (the mentor, counselors, admins); the student's own copy and reviewing staff's copies
  show dates, types and agreed next steps only. The cache keeps the two versions apart.
- The shared portfolio (no login) leaves out the student number, the mentor, counseling and
  special groups; links last 1, 7, 14 or 30 days, and a new link or "withdraw" retires every
  earlier one (the per-student nonce changes).
- Points and reasons are printed as stored (scoring.services stores them in the portal's
  language, Korean), also in the English report; labels and headings follow the viewer.
- DU-HEART: the report lists the standing conditions of a redemption (balance, semesters,
  national scholarship, excluded scholarships); the window and tuition checks belong to the
  request itself (scholarships.services.redemption_blockers).
"""
