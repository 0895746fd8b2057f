"""The December Rainbow selection: ranking per year level, tie-break, quotas, freeze, adjust, approve, export."""
import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEvent
from scholarships import services
from scholarships.models import SelectionQuota, SelectionSnapshot, SnapshotStatus
from scholarships.tasks import december_selection
from scoring.models import StoredResult
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def with_mileage(major, level, total, gpa="3.50", student_no=None):
    kwargs = {"student_no": student_no} if student_no else {}
    s = StudentFactory(major=major, year_level=level, gpa=gpa, **kwargs)
    StoredResult.objects.create(student=s, program="career-mileage", ruleset="career-mileage", ruleset_version="t",
                                total=total, result={"total": total, "items": []}, input_digest="x")
    return s


@pytest.fixture
def population(daegu, daegu_major):
    SelectionQuota.objects.create(institution=daegu, year_level=1, quota=2, amount_won=1_000_000)
    SelectionQuota.objects.create(institution=daegu, year_level=2, quota=1, amount_won=700_000)
    return {
        "top": with_mileage(daegu_major, 1, 800),
        "tie_high_gpa": with_mileage(daegu_major, 1, 600, gpa="4.10", student_no="2099999999"),
        "tie_low_gpa": with_mileage(daegu_major, 1, 600, gpa="3.00", student_no="2099000000"),
        "low": with_mileage(daegu_major, 1, 100),
        "year2": with_mileage(daegu_major, 2, 50),
    }


def test_each_level_takes_its_quota_by_mileage_then_gpa(daegu, office, population):
    snapshot = services.selection_run(actor=office, institution=daegu, year=2025)
    selected = {r.student_id: r for r in snapshot.rows.filter(selected=True)}
    assert set(selected) == {population["top"].pk, population["tie_high_gpa"].pk, population["year2"].pk}
    assert selected[population["top"].pk].amount_won == 1_000_000
    assert selected[population["year2"].pk].amount_won == 700_000
    ranks = {r.student_id: r.rank for r in snapshot.rows.filter(year_level=1)}
    assert ranks[population["tie_high_gpa"].pk] == 2 and ranks[population["tie_low_gpa"].pk] == 3


def test_running_twice_gives_the_same_list(daegu, office, population):
    first = services.selection_run(actor=office, institution=daegu, year=2025)
    listing = list(first.rows.values_list("student_id", "rank", "selected", "amount_won"))
    with_mileage(population["top"].major, 1, 999)  # later changes do not move a frozen list
    again = december_selection(year=2025)
    assert again["daegu"] == first.pk
    assert SelectionSnapshot.objects.filter(institution=daegu).count() == 1
    assert list(first.rows.values_list("student_id", "rank", "selected", "amount_won")) == listing


def test_default_amounts_run_from_one_million_to_150_thousand(daegu, office):
    services.selection_run(actor=office, institution=daegu, year=2025)
    amounts = dict(SelectionQuota.objects.filter(institution=daegu).values_list("year_level", "amount_won"))
    assert amounts[1] == 1_000_000 and amounts[5] == 150_000


def test_staff_adjust_with_reason_approve_and_export(client, daegu, office, population):
    client.force_login(office)
    response = client.post("/scholarships/staff/selection/", {"year": 2025})
    snapshot = SelectionSnapshot.objects.get()
    assert response.url.endswith(f"/scholarships/staff/selection/{snapshot.pk}/")
    low_row = snapshot.rows.get(student=population["tie_low_gpa"])
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/rows/{low_row.pk}/", {"selected": "1", "reason": ""})
    low_row.refresh_from_db()
    assert not low_row.selected  # no reason, no change
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/rows/{low_row.pk}/",
                {"selected": "1", "reason": "동점자 추가 선발 (위원회 결정)"})
    low_row.refresh_from_db()
    assert low_row.selected and low_row.amount_won == 1_000_000 and low_row.adjustments.count() == 1
    assert AuditEvent.objects.filter(action="selection.adjust", reason__contains="위원회").exists()
    body = client.get(f"/scholarships/staff/selection/{snapshot.pk}/").content.decode()
    assert population["tie_low_gpa"].student_no in body and "위원회" in body
    assert "승인 후에는 바꿀 수 없습니다" in body  # the page asks before the list is frozen
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/approve/")
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.DRAFT  # not confirmed: nothing frozen
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/approve/", {"confirm": "1"})
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.APPROVED and snapshot.approved_by == office
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/rows/{low_row.pk}/", {"selected": "0", "reason": "취소"})
    low_row.refresh_from_db()
    assert low_row.selected  # an approved list no longer changes
    export = client.get(f"/scholarships/staff/selection/{snapshot.pk}/export/")
    sheet = load_workbook(io.BytesIO(export.content)).active
    numbers = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(numbers) == sorted([population[k].student_no for k in ("top", "tie_high_gpa", "tie_low_gpa",
                                                                          "year2")])


def test_students_and_department_staff_cannot_run_the_selection(client, daegu, student, population):
    from tests.factories import staff_user

    client.force_login(student.user)
    assert client.post("/scholarships/staff/selection/", {"year": 2025}).status_code == 403
    client.force_login(staff_user(department=population["top"].major.department))
    assert client.post("/scholarships/staff/selection/", {"year": 2025}).status_code == 403
    assert not SelectionSnapshot.objects.exists()


def test_december_schedule_is_registered():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="scholarships.tasks.december_selection")
    assert task.crontab.month_of_year == "12" and task.enabled
