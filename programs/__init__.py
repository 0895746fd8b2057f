"""Non-curricular programs and their two-step close (seed 001): a department runs a program
and closes it with the attendance list; the central office approves the close, and only then
does each attendee's program entry become approved, dated the program's end date.

Its own app: programs have their own models, pages and a workflow of their own.
"""
