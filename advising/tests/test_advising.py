"""Counseling sessions, mentor assignment, honors club and special groups, as users meet them."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Institution, Role
from advising import selectors, services
from advising.models import AdvisorProfile, CounselingSession, Counselor, HonorsClubRule, MentorChange
from audit.models import AuditEvent
from careers.models import CareerEntry, EntryStatus
from scoring.models import StoredResult
from tests.factories import StudentFactory, UserFactory, entry, staff_user, write_intro

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
NOTES = "가정 형편 때문에 휴학을 고민 중 (비공개 메모)"
STEPS = "다음 달까지 TOEIC 700 목표로 등록"


@pytest.fixture
def daegu():
    inst = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    campus = inst.campuses.create(code="gyeongsan", name="경산캠퍼스")
    dep = campus.departments.create(name="정보통신공학부")
    return {"inst": inst, "dep": dep, "major": dep.majors.create(name="컴퓨터정보공학전공"),
            "other_major": dep.majors.create(name="전자공학전공")}


def advisor(major, name, year_levels=(), accepts=True):
    user = UserFactory(role=Role.ADVISOR, display_name=name)
    AdvisorProfile.objects.create(user=user, major=major, year_levels=list(year_levels), accepts_mentees=accepts)
    return user


@pytest.fixture
def mentee(daegu):
    prof = advisor(daegu["major"], "김교수")
    student = StudentFactory(major=daegu["major"], admission_year=2023)
    student.refresh_from_db()
    assert student.mentor == prof  # assigned by rule on creation
    write_intro(student)
    return student


def counseling_points(student):
    """The 상담실적 area of the student's career mileage, as the standing on their page shows it."""
    result = StoredResult.objects.get(student=student, program="career-mileage").result
    return next(Decimal(str(a["points"])) for a in result["areas"] if a["area"] == "상담실적")


def test_a_logged_session_is_an_approved_counseling_entry_that_fills_the_counseling_area(
        mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_log(actor=mentee.mentor, student=mentee, type="mentor",
                                       date=TODAY - datetime.timedelta(days=3), notes=NOTES, next_steps=STEPS)
    entry = CareerEntry.objects.get(pk=session.entry_id)
    assert (entry.kind, entry.status, entry.data["type"]) == ("counseling", EntryStatus.APPROVED, "mentor")
    assert entry.decided_by == mentee.mentor and entry.source == f"counseling:{session.pk}"
    assert AuditEvent.objects.filter(action="entry.approve", object_id=str(entry.pk)).exists()
    assert counseling_points(mentee) == 10

    with django_capture_on_commit_callbacks(execute=True):
        services.session_log(actor=mentee.mentor, student=mentee, type="mentor", date=TODAY)
    assert counseling_points(mentee) == 20
    assert mentee.user.notifications.filter(message__contains=STEPS).exists()


def test_changing_a_sessions_date_replaces_its_entry_and_deleting_it_revokes_with_the_reason(
        mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_log(actor=mentee.mentor, student=mentee, type="mentor", date=TODAY)
        first = session.entry_id
        services.session_update(actor=mentee.mentor, session=session, type="mentor",
                                date=TODAY - datetime.timedelta(days=1), notes="고침", next_steps="")
    session.refresh_from_db()
    assert session.entry_id != first
    assert CareerEntry.objects.get(pk=first).status == EntryStatus.REVOKED
    assert CareerEntry.objects.get(pk=session.entry_id).date == TODAY - datetime.timedelta(days=1)
    assert counseling_points(mentee) == 10

    with pytest.raises(ValidationError) as error:
        services.session_delete(actor=mentee.mentor, session=session, reason=" ")
    assert "reason" in error.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.session_delete(actor=mentee.mentor, session=session, reason="다른 학생의 상담을 잘못 기록")
    revoked = CareerEntry.objects.get(pk=session.entry_id)
    assert (revoked.status, revoked.decision_reason) == (EntryStatus.REVOKED, "다른 학생의 상담을 잘못 기록")
    assert not CounselingSession.objects.exists()
    assert counseling_points(mentee) == 0


def test_bad_session_input_names_the_field_and_stores_nothing(mentee):
    for kwargs, field in [({"type": "mentor", "date": TODAY + datetime.timedelta(days=1)}, "date"),
                          ({"type": "mentor", "date": "2025-13-40"}, "date"),
                          ({"type": "party", "date": TODAY}, "type")]:
        with pytest.raises(ValidationError) as error:
            services.session_log(actor=mentee.mentor, student=mentee, **kwargs)
        assert field in error.value.error_dict
    assert not CounselingSession.objects.exists() and not CareerEntry.objects.filter(kind="counseling").exists()


def test_only_the_mentor_logs_mentor_sessions_and_counselors_log_their_own_kind(mentee):
    other_prof = advisor(mentee.major, "이교수")
    with pytest.raises(PermissionDenied):
        services.session_log(actor=other_prof, student=mentee, type="mentor", date=TODAY)
    counselor = staff_user(central_office="취업지원팀", institution=mentee.institution)
    Counselor.objects.create(user=counselor, employment=True)
    with pytest.raises(PermissionDenied):
        services.session_log(actor=counselor, student=mentee, type="mentor", date=TODAY)
    session = services.session_log(actor=counselor, student=mentee, type="employment", date=TODAY, notes=NOTES)
    assert session.entry.data["type"] == "employment"
    # a reviewer who is not a counselor logs nothing and reads no notes
    reviewer = staff_user(department=mentee.major.department)
    assert selectors.loggable_types(reviewer, mentee) == []
    assert not selectors.may_read_notes(reviewer, mentee)
    assert selectors.may_read_notes(counselor, mentee) and selectors.may_read_notes(mentee.mentor, mentee)
    Counselor.objects.filter(user=counselor).update(employment=False)  # no longer a counselor of any kind
    assert not selectors.may_read_notes(counselor, mentee) and selectors.loggable_types(counselor, mentee) == []


def test_an_advisor_cannot_see_a_non_mentees_counseling_and_the_student_never_sees_notes(client, mentee):
    services.session_log(actor=mentee.mentor, student=mentee, type="mentor", date=TODAY, notes=NOTES,
                         next_steps=STEPS)
    session = CounselingSession.objects.get()
    stranger = advisor(mentee.major, "박교수")
    client.force_login(stranger)
    for url in (f"/advising/students/{mentee.pk}/", f"/advising/sessions/{session.pk}/edit/",
                f"/students/{mentee.pk}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert NOTES not in response.content.decode()
    assert client.post(f"/advising/students/{mentee.pk}/sessions/new/", {"type": "mentor", "date": TODAY}).status_code == 404

    client.force_login(mentee.user)
    page = client.get("/me/").content.decode()
    assert STEPS in page and TODAY.isoformat() in page and NOTES not in page
    assert client.get(f"/advising/students/{mentee.pk}/").status_code == 403

    reviewer = staff_user(department=mentee.major.department)
    client.force_login(reviewer)
    page = client.get(f"/advising/students/{mentee.pk}/").content.decode()
    assert STEPS in page and NOTES not in page

    client.force_login(mentee.mentor)
    page = client.get(f"/advising/students/{mentee.pk}/").content.decode()
    assert STEPS in page and NOTES in page


def test_the_mentor_reads_the_mentees_self_introduction_and_wishes(client, mentee):
    intro = mentee.self_introduction
    intro.desired_companies = "네이버, 카카오"
    intro.save()
    client.force_login(mentee.mentor)
    page = client.get(f"/students/{mentee.pk}/").content.decode()
    assert "네이버, 카카오" in page and "꾸준함과 협업" in page
    page = client.get("/advising/").content.decode()
    assert mentee.student_no in page


def test_a_session_logged_through_the_page_shows_in_the_history(client, mentee):
    client.force_login(mentee.mentor)
    response = client.post(f"/advising/students/{mentee.pk}/sessions/new/",
                           {"type": "mentor", "date": TODAY.isoformat(), "notes": NOTES, "next_steps": STEPS})
    assert response.status_code == 302
    page = client.get(f"/advising/students/{mentee.pk}/").content.decode()
    assert NOTES in page and STEPS in page
    row = client.get("/advising/").content.decode().split(f'data-student="{mentee.student_no}"')[1].split("</tr>")[0]
    assert TODAY.isoformat() in row  # the mentee list shows the last session
    response = client.post(f"/advising/students/{mentee.pk}/sessions/new/", {"type": "mentor", "date": ""})
    assert response.status_code == 200 and CounselingSession.objects.count() == 1
    assert "Date" in response.content.decode() or "날짜" in response.content.decode()


# --- mentor assignment -----------------------------------------------------------------------------
def test_assignment_balances_load_fewest_mentees_first_and_ties_by_name(daegu):
    b = advisor(daegu["major"], "나교수")
    a = advisor(daegu["major"], "가교수")
    advisor(daegu["other_major"], "다교수")  # another major's advisor is not picked while the major has some
    students = [StudentFactory(major=daegu["major"]) for _ in range(5)]
    mentors = [s.__class__.objects.get(pk=s.pk).mentor for s in students]
    assert mentors == [a, b, a, b, a]  # tie → 가 before 나; then whoever has fewer
    assert MentorChange.objects.filter(actor__isnull=True).count() == 5


def test_assignment_respects_year_levels_and_falls_back_to_the_department(daegu):
    seniors = advisor(daegu["major"], "가교수", year_levels=[3, 4])
    freshmen = advisor(daegu["other_major"], "나교수", year_levels=[1])
    assert StudentFactory(major=daegu["major"], year_level=4).mentor == seniors
    assert StudentFactory(major=daegu["major"], year_level=1).mentor == freshmen  # same department
    assert StudentFactory(major=daegu["major"], year_level=2).mentor is None  # nobody takes year 2


def test_the_command_assigns_students_left_without_a_mentor(daegu):
    students = [StudentFactory(major=daegu["major"]) for _ in range(3)]
    assert all(s.mentor is None for s in students)
    prof = advisor(daegu["major"], "가교수")
    from django.core.management import call_command

    call_command("assign_mentors", stdout=open("/dev/null", "w"))
    assert {s.__class__.objects.get(pk=s.pk).mentor for s in students} == {prof}


def test_students_of_a_departed_mentor_get_a_new_one_in_the_next_run(daegu):
    leaving = advisor(daegu["major"], "가교수")
    student = StudentFactory(major=daegu["major"])
    assert student.mentor == leaving
    staying = advisor(daegu["major"], "나교수")
    leaving.is_active = False
    leaving.save()
    assert services.december_run(year=2026)["mentors_assigned"] == 1
    student.refresh_from_db()
    assert student.mentor == staying
    assert list(MentorChange.objects.filter(student=student).values_list("previous", "mentor")) == [
        (None, staying.pk), (leaving.pk, None), (None, leaving.pk)]  # newest first


def test_staff_see_who_has_no_mentor(client, daegu):
    student = StudentFactory(major=daegu["major"])
    assert student.mentor is None
    client.force_login(staff_user(department=daegu["dep"]))
    page = client.get("/advising/").content.decode()
    assert 'href="?unassigned=1"' in page
    assert student.student_no in client.get("/advising/", {"unassigned": "1"}).content.decode()


def test_staff_change_a_mentor_with_a_reason_and_the_change_is_logged(client, mentee):
    new = advisor(mentee.major, "이교수")
    staff = staff_user(department=mentee.major.department)
    with pytest.raises(ValidationError) as error:
        services.mentor_change(actor=staff, student=mentee, mentor=new, reason="")
    assert "reason" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        services.mentor_change(actor=mentee.mentor, student=mentee, mentor=new, reason="교체")
    old = mentee.mentor
    client.force_login(staff)
    response = client.post(f"/advising/students/{mentee.pk}/mentor/", {"mentor": new.pk, "reason": "연구년으로 교체"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.mentor == new
    change = MentorChange.objects.filter(actor=staff).get()
    assert (change.previous, change.mentor, change.reason) == (old, new, "연구년으로 교체")
    assert "연구년으로 교체" in client.get(f"/advising/students/{mentee.pk}/").content.decode()
    assert mentee.user.notifications.filter(message__contains=str(new)).exists()


# --- honors club -------------------------------------------------------------------------------------
def _ranked(daegu, mileages, year_level):
    students = []
    for n, total in enumerate(mileages):
        s = StudentFactory(major=daegu["major"], year_level=year_level, student_no=f"2024{year_level}{n:04d}")
        StoredResult.objects.create(student=s, program="career-mileage", total=Decimal(total), result={"total": total},
                                    ruleset="career-mileage", ruleset_version="1", input_digest="x")
        students.append(s)
    return students


def test_honors_club_takes_the_top_n_of_each_year_level(daegu):
    first = _ranked(daegu, [100, 500, 300, 200], year_level=1)
    second = _ranked(daegu, [50, 900], year_level=2)
    HonorsClubRule.objects.create(institution=daegu["inst"], top_n=2)
    rows = services.honors_recompute(institution=daegu["inst"], year=2026)
    assert {(r.year_level, r.rank, r.student_id) for r in rows} == {
        (1, 1, first[1].pk), (1, 2, first[2].pk), (2, 1, second[1].pk), (2, 2, second[0].pk)}
    assert selectors.honors_membership(first[1]).rank == 1
    assert selectors.honors_membership(first[0]) is None


def test_honors_club_by_percent_rounds_down_and_respects_the_minimum(daegu):
    students = _ranked(daegu, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], year_level=3)
    rule = HonorsClubRule.objects.create(institution=daegu["inst"], top_percent=Decimal("25"))
    assert [r.student_id for r in services.honors_recompute(institution=daegu["inst"], year=2026)] == \
        [students[9].pk, students[8].pk]  # 25 % of 10 → 2
    rule.min_mileage = 95
    rule.save()
    assert [r.student_id for r in services.honors_recompute(institution=daegu["inst"], year=2026)] == [students[9].pk]


def test_the_december_job_recomputes_the_honors_club_and_it_shows_on_the_students_page(client, daegu):
    from scholarships.tasks import december_selection

    students = _ranked(daegu, [300, 100], year_level=2)
    HonorsClubRule.objects.create(institution=daegu["inst"], top_n=1)
    december_selection(year=2026)
    assert selectors.honors_membership(students[0]).year == 2026
    client.force_login(students[0].user)
    assert 'id="honors"' in client.get("/me/").content.decode()
    client.force_login(students[1].user)
    assert 'id="honors"' not in client.get("/me/").content.decode()


# --- special management groups ----------------------------------------------------------------------------
def test_staff_fill_a_special_group_from_a_hiring_condition_search(client, daegu):
    high = _ranked(daegu, [700, 200], year_level=4)
    staff = staff_user(central_office="취업지원팀", institution=daegu["inst"])
    client.force_login(staff)
    response = client.post("/advising/groups/", {"name": "대기업반", "description": "상위권 집중관리"})
    assert response.status_code == 302
    group_url = response.url
    page = client.get(group_url, {"search": "1", "min_mileage": "500"}).content.decode()
    assert high[0].student_no in page and high[1].student_no not in page
    response = client.post(group_url, {"action": "add", "students": [high[0].pk], "note": "최소 마일리지: 500"})
    assert response.status_code == 302
    page = client.get(group_url).content.decode()
    assert high[0].student_no in page and "최소 마일리지: 500" in page
    assert AuditEvent.objects.filter(action="advising.group_add", student=high[0]).exists()
    # a student outside the staff member's scope cannot be slipped in
    outsider = StudentFactory()
    client.post(group_url, {"action": "add", "students": [outsider.pk]})
    assert not outsider.special_groups.exists()
    client.post(group_url, {"action": "remove", "student": high[0].pk, "reason": "취업 확정"})
    assert not high[0].special_groups.exists()
    assert AuditEvent.objects.filter(action="advising.group_remove", reason="취업 확정").exists()


def test_an_advisor_has_no_special_groups_or_honors_admin(client, mentee):
    client.force_login(mentee.mentor)
    assert client.get("/advising/groups/").status_code == 403
    assert client.get("/advising/honors/").status_code == 403

