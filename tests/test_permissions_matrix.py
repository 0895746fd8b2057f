"""Every role × every page and API endpoint: allowed, or refused with no trace of the student."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from careers import services
from careers.demo import pdf_bytes
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user

pytestmark = pytest.mark.django_db
SECRET_NAME = "비밀학생"
SECRET_NOTE = "상담비밀메모"  # a counseling note: only the mentor (and admins) ever read it
NOTE_READERS = {"mentor", "admin"}

ROLES = ["anonymous", "owner", "other_student", "department_staff", "other_department_staff", "central_staff",
         "mentor", "other_advisor", "admin"]
SEES_VICTIM = {"owner", "department_staff", "central_staff", "mentor", "admin"}
REVIEWERS = {"department_staff", "central_staff", "other_department_staff", "admin"}

# (url template, who may open it: "victim" = those who see the victim, or a set of roles)
ENDPOINTS = [
    ("/me/", {"owner", "other_student"}),
    ("/me/self-introduction/", {"owner", "other_student"}),
    ("/me/entries/new/language_test/", {"owner", "other_student"}),
    ("/students/", set(ROLES) - {"anonymous", "owner", "other_student"}),  # students go to /me/
    ("/students/{student}/", "victim"),
    ("/entries/{entry}/", "victim"),
    ("/entries/{entry}/edit/", {"owner"}),
    ("/evidence/{evidence}/", "victim"),
    ("/staff/", REVIEWERS),
    ("/staff/queue/", REVIEWERS),
    ("/notifications/", set(ROLES) - {"anonymous"}),
    ("/api/v1/entries/", "listing"),
    ("/api/v1/entries/{entry}/", "victim"),
    ("/api/v1/evidence/{evidence}/", "victim"),
    ("/api/v1/evidence/{evidence}/file/", "victim"),
    ("/api/v1/students/", "listing"),
    ("/api/v1/students/{student}/", "victim"),
    ("/api/schema/", set(ROLES) - {"anonymous"}),  # README "Security choices": the schema needs a login
    ("/programs/", set(ROLES) - {"anonymous", "mentor", "other_advisor"}),  # advisors run no programs
    ("/certification/", {"owner", "other_student"}),
    ("/certification/committee/", {"admin"}),  # no one else here sits on a committee
    ("/scholarships/me/", {"owner", "other_student"}),
    ("/scholarships/staff/hiring/", REVIEWERS),
    ("/scholarships/staff/priority/", REVIEWERS),
    ("/rules/runs/", {"admin"}),
    ("/rules/", {"admin"}),
    ("/rules/edit/du-heart/rules.yaml", {"admin"}),
    ("/staff/imports/", {"central_staff", "admin"}),
    ("/advising/", set(ROLES) - {"anonymous", "owner", "other_student"}),
    ("/advising/students/{student}/", SEES_VICTIM - {"owner"}),
    ("/advising/students/{student}/sessions/new/", {"mentor", "admin"}),  # staff here are no counselors
    ("/advising/students/{student}/mentor/", {"department_staff", "central_staff", "admin"}),
    ("/advising/sessions/{session}/edit/", {"mentor", "admin"}),
    ("/advising/honors/", REVIEWERS),
    ("/advising/groups/", REVIEWERS),
    ("/advising/groups/{group}/", REVIEWERS),
    ("/reports/students/{student}/report.pdf", "victim"),
    ("/reports/students/{student}/portfolio/", "victim"),
    ("/reports/me/share/", {"owner", "other_student"}),
    ("/reports/batches/", set(ROLES) - {"anonymous", "owner", "other_student"}),
]


@pytest.fixture
def world():
    victim = StudentFactory(name=SECRET_NAME)
    mentor = UserFactory(role=Role.ADVISOR)
    victim.mentor = mentor
    victim.save()
    e = entry(victim, data={"test": "TOEIC", "score": 905})
    ev = services.evidence_add(actor=victim.user, entry=e, uploaded_file=SimpleUploadedFile("v.pdf", pdf_bytes(SECRET_NAME.encode("utf-8").hex())))
    users = {
        "anonymous": None,
        "owner": victim.user,
        "other_student": StudentFactory().user,
        "department_staff": staff_user(department=victim.major.department),
        "other_department_staff": staff_user(department=major("2-2").department),
        "central_staff": staff_user(central_office="취업지원팀"),
        "mentor": mentor,
        "other_advisor": UserFactory(role=Role.ADVISOR),
        "admin": UserFactory(role=Role.ADMIN),
    }
    import datetime

    from advising import services as advising

    session = advising.session_log(actor=mentor, student=victim, type="mentor", date=datetime.date.today(),
                                   notes=SECRET_NOTE, next_steps="다음 학기 인턴십 지원")
    group = advising.group_create(actor=users["central_staff"], institution=victim.institution, name="대기업반")
    advising.group_add_members(actor=users["central_staff"], group=group, student_ids=[victim.pk])
    return {"users": users, "ids": {"student": victim.pk, "entry": e.pk, "evidence": ev.pk, "session": session.pk,
                                    "group": group.pk}}


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url,allowed", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_role_by_endpoint(client, world, role, url, allowed):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url.format(**world["ids"]))
    body = _body(response)
    if allowed == "victim":
        may = role in SEES_VICTIM
    elif allowed == "listing":
        may = role != "anonymous"
    else:
        may = role in allowed
    if not may:
        assert response.status_code in (302, 401, 403, 404), (role, url, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response.url or response.url == "/me/"
    else:
        assert response.status_code == 200, (role, url, response.status_code)
    if role not in NOTE_READERS:
        assert SECRET_NOTE not in body, (role, url)
    if role not in SEES_VICTIM:
        assert SECRET_NAME not in body, (role, url)
        assert str(world["ids"]["entry"]) not in body or url.startswith("/api/schema"), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_only_its_counselor_deletes_a_counseling_session(client, world, role):
    from advising.models import CounselingSession

    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.post(f"/advising/sessions/{world['ids']['session']}/delete/", {"reason": "잘못 기록함"})
    gone = not CounselingSession.objects.filter(pk=world["ids"]["session"]).exists()
    if role in NOTE_READERS:
        assert response.status_code == 302 and gone
    else:
        assert response.status_code in (302, 403, 404) and not gone, (role, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response.url
