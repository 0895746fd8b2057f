"""Administrators edit a rule file, see what it would change, publish it, and every student moves.

The draft here raises DU-HEART's TOEIC 700~799 tier from 300 to 350 points (seed 002 says 300:
the kind of edit an office makes when the rules change)."""
import datetime
import json
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Institution, Role
from careers.models import EntryStatus
from scholarships.models import LedgerEntry
from scoring import rulesets
from scoring.batch_models import BatchRun
from scoring.models import RuleRevision, StoredResult
from scoring.services import recompute_student
from tests.factories import StudentFactory, UserFactory, entry, staff_user

pytestmark = pytest.mark.django_db(transaction=True)  # publishing starts its batch on commit
RECENT = datetime.date.today() - datetime.timedelta(days=30)
OLD_ROW = "      - {min: 700, points: 300}\n"
NEW_ROW = "      - {min: 700, points: 350}\n"


def raised_toeic_text():
    text = rulesets.repository_text("du-heart", "rules.yaml")
    assert text.count(OLD_ROW) == 1  # TOEIC's row; the other tests' rows differ
    version = text.split('version: "', 1)[1].split('"', 1)[0]
    return text.replace(OLD_ROW, NEW_ROW).replace(f'version: "{version}"', 'version: "2026-11.portal"')


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def daegu():
    inst = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    dep = inst.campuses.create(code="gyeongsan", name="경산캠퍼스").departments.create(name="정보통신공학부")
    m = dep.majors.create(name="컴퓨터정보공학전공")
    scored = []
    for score in (705, 790, 650, 910):  # two in the 700~799 tier
        s = StudentFactory(major=m, admission_year=2021)
        entry(s, data={"test": "TOEIC", "score": score}, date=RECENT, status=EntryStatus.APPROVED)
        recompute_student(student_id=s.pk)
        scored.append(s)
    return scored


def test_a_draft_is_checked_previewed_published_and_every_student_recomputed(admin, daegu):
    rev = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(),
                              note="TOEIC 700점대 350점으로 상향")
    assert rev.check_error == ""
    assert "-      - {min: 700, points: 300}" in rulesets.diff(rulesets.current_text("du-heart", "rules.yaml"),
                                                             rev.text, "du-heart/rules.yaml")
    rulesets.request_preview(actor=admin, revision=rev)  # eager: computed on commit
    rev.refresh_from_db()
    p = rev.preview
    assert (p["students"], p["changed"], p["up"], p["down"]) == (4, 2, 2, 0)
    assert p["won_delta"] == 2 * 50 * 1000
    assert {c["student_no"] for c in p["largest"]} == {daegu[0].student_no, daegu[1].student_no}
    assert all(c["before"] == 300 and c["after"] == 350 for c in p["largest"])
    # The seed's example 2 (TOEIC 700 pays 300) no longer holds under the draft, and the page says so.
    assert any("example 2" in c["name"] and not c["holds_now"] for c in p["cases"]["changed"])
    # Nothing changed for anyone yet.
    assert StoredResult.objects.get(student=daegu[0], program="du-heart").total == 300

    rulesets.publish(actor=admin, revision=rev, note="")
    rev.refresh_from_db()
    assert rev.status == RuleRevision.Status.PUBLISHED and rev.batch.status == BatchRun.Status.DONE
    first = StoredResult.objects.get(student=daegu[0], program="du-heart")
    assert (first.total, first.ruleset_version) == (350, "2026-11.portal")
    assert StoredResult.objects.get(student=daegu[2], program="du-heart").total == 200  # 650: untouched tier
    # The ledger pays the 50-point difference as its own row; nothing is edited.
    rows = list(LedgerEntry.objects.filter(student=daegu[0]).order_by("pk").values_list("points", "ruleset_version"))
    assert rows == [(300, "2021-03.s002"), (50, "2026-11.portal")]
    # The approval path, the API and the evaluate command read the published rules too.
    doc = {"program": "du-heart", "as_of": RECENT.isoformat(), "student": {"student_no": "x", "admission_year": 2021},
           "entries": [{"id": "e", "kind": "language_test", "test": "TOEIC", "score": 720,
                        "date": RECENT.isoformat()}]}
    out = io.StringIO()
    path = rulesets._cache_root() / "case.json"
    path.write_text(json.dumps(doc))
    call_command("evaluate", "--input", str(path), stdout=out)
    assert json.loads(out.getvalue())["total"] == 350


def test_a_file_the_engine_cannot_read_is_named_and_cannot_be_previewed_or_published(admin, daegu):
    broken = raised_toeic_text().replace("      - {min: 700, points: 350}", "      - {min: 700, points: lots}")
    rev = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=broken)
    assert rev.check_error.startswith("rules/du-heart/rules.yaml: languages.english.TOEIC")
    with pytest.raises(ValidationError):
        rulesets.request_preview(actor=admin, revision=rev)
    with pytest.raises(ValidationError):
        rulesets.publish(actor=admin, revision=rev, note="x" * 5)
    assert rulesets.active_rules_dir() is None  # nothing in force changed
    assert StoredResult.objects.get(student=daegu[0], program="du-heart").total == 300


def test_publishing_needs_a_preview_of_the_very_text_and_the_file_unchanged_since(admin, daegu):
    rev = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(), note="상향")
    with pytest.raises(ValidationError, match="미리보기"):
        rulesets.publish(actor=admin, revision=rev)
    rulesets.request_preview(actor=admin, revision=rev)
    rev = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", revision=rev,
                              text=rev.text.replace("points: 350}", "points: 360}", 1), note="상향")
    with pytest.raises(ValidationError, match="미리보기"):  # the preview was of the earlier text
        rulesets.publish(actor=admin, revision=rev)

    other = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(), note="다른 안")
    rulesets.request_preview(actor=admin, revision=rev)
    rulesets.request_preview(actor=admin, revision=other)
    rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=rev.pk))
    with pytest.raises(ValidationError, match="변경되었습니다"):
        rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=other.pk))
    assert RuleRevision.objects.filter(status=RuleRevision.Status.PUBLISHED).count() == 1
    assert StoredResult.objects.get(student=daegu[0], program="du-heart").total == 360


def test_a_new_publication_supersedes_the_last_and_the_old_text_is_kept(admin, daegu):
    first = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(), note="350")
    rulesets.request_preview(actor=admin, revision=first)
    rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=first.pk))
    back = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml",
                               text=rulesets.repository_text("du-heart", "rules.yaml"), note="원래대로")
    rulesets.request_preview(actor=admin, revision=back)
    back.refresh_from_db()
    assert back.preview["down"] == 2
    rulesets.publish(actor=admin, revision=back)
    first.refresh_from_db()
    assert first.status == RuleRevision.Status.SUPERSEDED and first.text == raised_toeic_text()
    assert StoredResult.objects.get(student=daegu[0], program="du-heart").total == 300


def test_only_administrators_change_rules_and_only_existing_files(admin, daegu, client):
    staff = staff_user(department=daegu[0].major.department, central_office="학생처")
    with pytest.raises(PermissionDenied):
        rulesets.save_draft(actor=staff, program="du-heart", path="rules.yaml", text=raised_toeic_text())
    with pytest.raises(ValidationError) as error:
        rulesets.save_draft(actor=admin, program="du-heart", path="../career-mileage/rules.yaml", text="a: 1")
    assert "path" in error.value.message_dict
    client.force_login(staff)
    assert client.get(reverse("scoring:rules")).status_code == 403
    assert client.get(reverse("scoring:edit", args=["du-heart", "rules.yaml"])).status_code == 403


def test_the_pages_walk_an_admin_from_the_file_to_the_published_change(admin, daegu, client):
    client.force_login(admin)
    page = client.get(reverse("scoring:rules"))
    assert page.status_code == 200 and "majors/10-3.yaml" in page.content.decode()
    form = client.get(reverse("scoring:edit", args=["du-heart", "rules.yaml"]))
    assert OLD_ROW.strip() in form.content.decode()
    response = client.post(reverse("scoring:edit", args=["du-heart", "rules.yaml"]),
                           {"text": raised_toeic_text(), "note": "TOEIC 700점대 상향"})
    rev = RuleRevision.objects.get()
    assert response.url == reverse("scoring:revision", args=[rev.pk])
    page = client.get(response.url).content.decode()
    assert "points: 350" in page and 'id="check-ok"' in page
    client.post(reverse("scoring:preview", args=[rev.pk]))
    page = client.get(reverse("scoring:revision", args=[rev.pk])).content.decode()
    assert 'id="preview-changed">2<' in page and daegu[0].student_no in page and 'id="publish"' in page
    response = client.post(reverse("scoring:publish", args=[rev.pk]), {"note": "TOEIC 700점대 상향"})
    assert response.url == reverse("scoring:runs")
    assert StoredResult.objects.get(student=daegu[1], program="du-heart").total == 350
    history = client.get(reverse("scoring:rules")).content.decode()
    assert "TOEIC 700점대 상향" in history


def test_the_runs_page_follows_a_running_recomputation_until_it_is_done(admin, daegu, client):
    from scoring import batch

    client.force_login(admin)
    run = batch.start_batch(actor=admin, reason="test", programs=["du-heart"], dispatch_now=False)
    page = client.get(reverse("scoring:runs")).content.decode()
    assert 'hx-trigger="every 3s"' in page and f"0 / {len(daegu)}" in page
    batch.dispatch(run.pk)  # eager: every chunk runs now
    page = client.get(reverse("scoring:runs")).content.decode()
    assert 'hx-trigger' not in page and f"{len(daegu)} / {len(daegu)}" in page


def test_a_preview_made_before_another_publication_must_be_made_again(admin, daegu):
    toeic = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(), note="상향")
    career_text = rulesets.repository_text("career-mileage", "rules.yaml")
    career = rulesets.save_draft(actor=admin, program="career-mileage", path="rules.yaml",
                                 text=career_text + "\n# 검토 메모\n", note="메모")
    rulesets.request_preview(actor=admin, revision=toeic)
    rulesets.request_preview(actor=admin, revision=career)
    rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=toeic.pk))
    with pytest.raises(ValidationError, match="다시 미리보기"):
        rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=career.pk))
    rulesets.request_preview(actor=admin, revision=career)
    rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=career.pk))
    assert RuleRevision.objects.filter(status=RuleRevision.Status.PUBLISHED).count() == 2


def test_an_admin_takes_a_published_change_back_from_the_repository_text(admin, daegu, client):
    rev = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(), note="상향")
    rulesets.request_preview(actor=admin, revision=rev)
    rulesets.publish(actor=admin, revision=RuleRevision.objects.get(pk=rev.pk))
    client.force_login(admin)
    url = reverse("scoring:edit", args=["du-heart", "rules.yaml"])
    assert NEW_ROW.strip() in client.get(url).content.decode()  # starts from the text in force
    page = client.get(url + "?from=repository").content.decode()
    assert OLD_ROW.strip() in page and NEW_ROW.strip() not in page
    client.post(url + "?from=repository", {"text": rulesets.repository_text("du-heart", "rules.yaml"),
                                          "note": "원래 배점으로 환원"})
    back = RuleRevision.objects.get(status=RuleRevision.Status.DRAFT)
    rulesets.request_preview(actor=admin, revision=back)
    back.refresh_from_db()
    assert back.preview["down"] == 2
