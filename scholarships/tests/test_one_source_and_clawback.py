"""Issue 10 §3: the DU-HEART semester limit has one source (the rule file), and revoking an entry
whose points were already redeemed is allowed and shows staff what to reclaim (환수 필요)."""
import pytest
from django.core.exceptions import ValidationError

from careers.models import CareerEntry, EntryStatus
from scholarships import selectors, services
from scholarships.models import LedgerKind, Redemption
from scoring import rulesets
from tests.factories import UserFactory, staff_user

from .test_redemption import confirmed_redemption, window_for, with_points

pytestmark = pytest.mark.django_db


def _request(student, window, points=300):
    return services.redemption_request(actor=student.user, student=student, window=window, points=points)


def test_eight_completed_semesters_is_refused_as_the_rule_file_says(student):
    # rules/du-heart/rules.yaml, scholarship.within_8_semesters: "8학기 초과자는 장학금 신청 불가" read as
    # at most 7 completed (the 8th semester is the last one in which to apply)
    with_points(student)
    window = window_for(student)
    student.semesters_completed = 8
    student.save()
    with pytest.raises(ValidationError) as info:
        _request(student, window)
    text = " ".join(info.value.messages)
    assert "8학기 초과자는 장학금 신청 불가" in text and "8" in text
    assert not Redemption.objects.filter(student=student).exists()
    student.semesters_completed = 7
    student.save()
    assert _request(student, window).points == 300


def test_the_rule_file_in_force_is_the_one_source_of_the_limit(student):
    # An administrator publishes a DU-HEART rule file allowing 8 completed semesters: the
    # redemption check follows it with no code change.
    with_points(student)
    window = window_for(student)
    student.semesters_completed = 8
    student.save()
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    text = rulesets.current_text("du-heart", "rules.yaml")
    changed = text.replace("student.semesters_completed < 8", "student.semesters_completed < 9")
    assert changed != text
    revision = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=changed,
                                   note="학기 제한 해석 변경 (테스트)")
    rulesets.run_preview(revision_id=revision.pk)
    revision.refresh_from_db()
    rulesets.publish(actor=admin, revision=revision)
    assert _request(student, window).points == 300


def test_revoking_an_entry_after_its_points_were_redeemed_shows_the_clawback(client, student,
                                                                             django_capture_on_commit_callbacks):
    assert with_points(student, score=905) == 500
    confirmed_redemption(student, 300)
    assert selectors.balance_of(student.pk) == 200
    toeic = CareerEntry.objects.get(student=student, kind="language_test")
    office = staff_user(institution=student.major.department.campus.institution, central_office="학생지원팀")
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):  # the approval's recomputation runs
        client.post(f"/entries/{toeic.pk}/revoke/", {"reason": "원본과 점수가 다름"})
    # the revocation is allowed; the ledger reverses the 500 points it paid, append-only
    assert CareerEntry.objects.get(pk=toeic.pk).status == EntryStatus.REVOKED
    assert selectors.balance_of(student.pk) == -300
    assert student.ledger.filter(kind=LedgerKind.REVERSAL, points=-500, entry_id=str(toeic.pk)).exists()
    # staff see what to reclaim: 300 points = 300,000 won
    owed = selectors.clawbacks_for(office)
    assert [(c["student"].pk, c["points"], c["won"]) for c in owed] == [(student.pk, 300, 300_000)]
    page = client.get("/scholarships/staff/redemptions/").content.decode()
    assert 'id="clawbacks"' in page and "환수 필요" in page and student.student_no in page
    assert "300,000" in page
    # the student's statement says so too
    client.force_login(student.user)
    statement = client.get("/scholarships/me/").content.decode()
    assert 'id="clawback"' in statement and "300점이 환수 대상" in statement
    # and the student cannot redeem again while the balance is below zero
    with pytest.raises(ValidationError):
        _request(student, window_for(student, semester="2026-1"))
