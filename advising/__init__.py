"""Advising: counseling sessions, mentor professors, the honors club and special groups.

Its own app because these are their own records with their own pages and writers (advisors and
counselors, not the students who claim entries nor the staff who review them): a counseling
session is written by a counselor and *becomes* an approved `counseling` career entry through
careers.services, so career mileage's 상담실적 fills from real sessions; mentor assignment,
honors-club membership and special management groups (seed 000: "멘토교수와 아너스클럽은
자동배정됨", "특별(집중)관리 프로그램(대기업반 등)") read standing downstream of scoring and never
write upstream. Who may see a student is still decided by careers.access alone.
"""
