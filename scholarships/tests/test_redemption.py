"""Redemption: the conditions of seeds 001/002, staff confirmation, and no overdraft under concurrency."""
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from careers.models import EntryStatus
from scholarships import selectors, services
from scholarships.models import LedgerEntry, LedgerKind, Redemption, RedemptionStatus, RedemptionWindow
from scoring.services import recompute_student
from tests.factories import StudentFactory, entry, staff_user, write_intro

from .conftest import RECENT

TODAY = datetime.date.today()


def window_for(student, tuition=4_000_000, semester="2025-2"):
    inst = student.major.department.campus.institution
    office = staff_user(institution=inst, central_office="학생지원팀")
    return RedemptionWindow.objects.create(institution=inst, semester=semester, opens_on=TODAY - datetime.timedelta(1),
                                           closes_on=TODAY + datetime.timedelta(7), tuition_won=tuition,
                                           created_by=office)


def with_points(student, score=905):
    entry(student, data={"test": "TOEIC", "score": score}, status=EntryStatus.APPROVED, date=RECENT)
    recompute_student(student_id=student.pk)
    return selectors.balance_of(student.pk)


def confirmed_redemption(student, points):
    window = RedemptionWindow.objects.filter(institution=student.major.department.campus.institution).first() \
        or window_for(student)
    office = staff_user(institution=window.institution, central_office="학생지원팀")
    r = services.redemption_request(actor=student.user, student=student, window=window, points=points)
    return services.redemption_confirm(actor=office, redemption=r)


@pytest.mark.django_db
class TestConditions:
    def refused(self, student, window, points):
        with pytest.raises(ValidationError) as info:
            services.redemption_request(actor=student.user, student=student, window=window, points=points)
        assert not Redemption.objects.filter(student=student).exists()
        return " ".join(info.value.messages)

    def test_less_than_300_points_is_refused(self, student):
        with_points(student)
        assert "300" in self.refused(student, window_for(student), 299)

    def test_more_than_the_balance_is_refused(self, student):
        assert with_points(student) == 500
        assert "500" in self.refused(student, window_for(student), 501)

    def test_beyond_8_semesters_is_refused(self, student):
        with_points(student)
        student.semesters_completed = 9
        student.save()
        assert "8" in self.refused(student, window_for(student), 300)

    def test_no_national_scholarship_application_is_refused(self, student):
        with_points(student)
        student.flags = {}
        student.save()
        assert "국가장학금" in self.refused(student, window_for(student), 300)

    @pytest.mark.parametrize("flag, words", [("disabled_excellence_scholarship", "우수장애학생"),
                                             ("national_exam_scholarship", "국가고시")])
    def test_excluded_scholarship_holders_are_refused(self, student, flag, words):
        with_points(student)
        student.flags = {"national_scholarship_applied": True, flag: True}
        student.save()
        assert words in self.refused(student, window_for(student), 300)

    def test_more_than_the_tuition_is_refused(self, student):
        with_points(student)
        assert "등록금" in self.refused(student, window_for(student, tuition=350_000), 400)

    def test_closed_window_is_refused(self, student):
        with_points(student)
        window = window_for(student)
        window.closes_on = TODAY - datetime.timedelta(days=1)
        window.save()
        assert "2025-2" in self.refused(student, window, 300)

    def test_a_pending_request_holds_its_points(self, student):
        with_points(student)  # 500
        window = window_for(student)
        services.redemption_request(actor=student.user, student=student, window=window, points=300)
        with pytest.raises(ValidationError):
            services.redemption_request(actor=student.user, student=student, window=window, points=300)

    def test_only_the_student_asks(self, student):
        from django.core.exceptions import PermissionDenied

        with_points(student)
        other = StudentFactory(major=student.major)
        with pytest.raises(PermissionDenied):
            services.redemption_request(actor=other.user, student=student, window=window_for(student), points=300)


@pytest.mark.django_db
def test_confirmation_writes_the_deduction_and_the_engine_agrees(student, django_capture_on_commit_callbacks):
    with_points(student)
    window = window_for(student)
    office = staff_user(institution=window.institution, central_office="학생지원팀")
    r = services.redemption_request(actor=student.user, student=student, window=window, points=300)
    assert selectors.balance_of(student.pk) == 500  # a request alone deducts nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.redemption_confirm(actor=office, redemption=r)
    row = LedgerEntry.objects.get(redemption=r)
    assert (row.kind, row.points, row.created_by) == (LedgerKind.REDEMPTION, -300, office)
    assert selectors.balance_of(student.pk) == 200
    from scoring.models import StoredResult

    assert StoredResult.objects.get(student=student, program="du-heart").result["balance"] == 200
    with pytest.raises(ValidationError):  # confirming twice deducts once
        services.redemption_confirm(actor=office, redemption=r)
    assert LedgerEntry.objects.filter(kind=LedgerKind.REDEMPTION).count() == 1


@pytest.mark.django_db
def test_department_staff_of_another_department_cannot_confirm(student):
    from django.core.exceptions import PermissionDenied

    with_points(student)
    window = window_for(student)
    r = services.redemption_request(actor=student.user, student=student, window=window, points=300)
    other_dep = student.major.department.campus.departments.create(name="다른학부")
    with pytest.raises(PermissionDenied):
        services.redemption_confirm(actor=staff_user(department=other_dep), redemption=r)


def run_at_once(*calls):
    """Run the calls in threads released together; each thread has its own database connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_cannot_overdraw(daegu_major):
    student = StudentFactory(major=daegu_major, admission_year=2021, semesters_completed=6,
                             flags={"national_scholarship_applied": True})
    write_intro(student)
    with_points(student, score=805)  # 400 points: room for one request of 300, not two
    window = window_for(student)
    call = lambda: services.redemption_request(actor=student.user, student=student, window=window,  # noqa: E731
                                                points=300)
    outcomes = run_at_once(call, call, call)
    assert sorted(kind for kind, _ in outcomes) == ["error", "error", "ok"]
    assert all(isinstance(v, ValidationError) for kind, v in outcomes if kind == "error")
    assert Redemption.objects.filter(student=student).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_moment_cannot_overdraw(daegu_major):
    student = StudentFactory(major=daegu_major, admission_year=2021, semesters_completed=6,
                             flags={"national_scholarship_applied": True})
    write_intro(student)
    with_points(student, score=905)  # 500
    extra = entry(student, data={"test": "JLPT", "grade": "N1"}, status=EntryStatus.APPROVED, date=RECENT)
    recompute_student(student_id=student.pk)
    assert selectors.balance_of(student.pk) == 1000
    window = window_for(student, tuition=10_000_000)
    first = services.redemption_request(actor=student.user, student=student, window=window, points=600)
    second = services.redemption_request(actor=student.user, student=student, window=window, points=400)
    # The JLPT is revoked afterwards: 500 points left, enough for one of the two requests only.
    office = staff_user(institution=window.institution, central_office="학생지원팀")
    from careers import services as careers_services

    careers_services.entry_revoke(actor=office, entry=extra, reason="원본 불일치")
    assert selectors.balance_of(student.pk) == 500
    outcomes = run_at_once(lambda: services.redemption_confirm(actor=office, redemption=first),
                           lambda: services.redemption_confirm(actor=office, redemption=second))
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"], outcomes
    assert selectors.balance_of(student.pk) >= 0
    assert LedgerEntry.objects.filter(student=student, kind=LedgerKind.REDEMPTION).count() == 1
    assert Redemption.objects.filter(status=RedemptionStatus.CONFIRMED).count() == 1


@pytest.mark.django_db
def test_student_redeems_through_the_pages_and_sees_the_deduction(client, student, django_capture_on_commit_callbacks):
    with_points(student)
    window = window_for(student)
    client.force_login(student.user)
    page = client.get("/scholarships/me/").content.decode()
    assert 'id="redeem"' in page and window.semester in page
    refused = client.post("/scholarships/me/", {"window": window.pk, "points": 200}).content.decode()
    assert "300" in refused and not Redemption.objects.exists()
    client.post("/scholarships/me/", {"window": window.pk, "points": 300})
    r = Redemption.objects.get(student=student)
    office = staff_user(institution=window.institution, central_office="학생지원팀")
    client.force_login(office)
    assert f'data-redemption="{r.pk}"' in client.get("/scholarships/staff/redemptions/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/scholarships/staff/redemptions/{r.pk}/confirm/")
    client.force_login(student.user)
    body = client.get("/scholarships/me/").content.decode()
    assert 'data-balance="200"' in body and 'data-kind="redemption"' in body and "-300" in body
