"""Demo data for advising (called by careers' seed_demo): advisor profiles, counselors, counseling
sessions of many students, an honors-club rule per career-mileage institution and its members."""
import datetime

from accounts.models import Institution, Role, User
from careers.models import StudentProfile

from . import services
from .models import AdvisorProfile, Counselor, HonorsClubRule

NEXT_STEPS = [
    "TOEIC 700점 이상 취득 후 성적표 등록",
    "희망 직무(데이터 분석) 관련 자격증 1개 준비: 정보처리기사 필기 접수",
    "여름방학 현장실습(인턴십) 지원서 작성, 다음 상담 때 함께 검토",
    "자기소개서의 지원 동기 부분을 구체적인 경험 중심으로 고쳐 오기",
    "교내 취업캠프 신청, 모의면접 1회 참여",
]
NOTES = [
    "진로를 공기업과 IT 기업 사이에서 고민 중. 전공 성적은 안정적.",
    "학업 스트레스 호소. 상담센터 연계 안내함 (학생 동의).",
    "해외 인턴십에 관심이 많아 국제교류팀 상담을 권함.",
    "어학 점수가 낮아 단기 목표를 함께 세움.",
]


def seed(rng, today):
    """Profiles for every advisor (the major of their mentees), the central office as employment
    and international counselors, and sessions for about two thirds of the students."""
    for prof in User.objects.filter(role=Role.ADVISOR):
        major_id = (StudentProfile.objects.filter(mentor=prof).values_list("major", flat=True).first())
        if major_id and not AdvisorProfile.objects.filter(user=prof).exists():
            AdvisorProfile.objects.create(user=prof, major_id=major_id)
    for staff in User.objects.filter(role=Role.STAFF, staff_scope__central_office__gt=""):
        Counselor.objects.get_or_create(user=staff, defaults={"employment": True, "international": True})
    for index, student in enumerate(StudentProfile.objects.select_related("mentor", "major__department__campus__institution")
                                    .order_by("student_no")):
        if index % 3 == 2 or student.mentor is None:
            continue
        for n in range(1 + index % 3):
            services.session_log(actor=student.mentor, student=student, type="mentor",
                                 date=today - datetime.timedelta(days=20 + 45 * n + rng.randint(0, 10)),
                                 notes=rng.choice(NOTES), next_steps=rng.choice(NEXT_STEPS))
        if index % 4 == 0:
            counselor = User.objects.filter(staff_scope__institution=student.institution,
                                            staff_scope__central_office__gt="").first()
            if counselor:
                services.session_log(actor=counselor, student=student, type="employment",
                                     date=today - datetime.timedelta(days=rng.randint(5, 60)),
                                     notes="희망 기업 채용 일정 안내, 이력서 첨삭.", next_steps=rng.choice(NEXT_STEPS))


def seed_honors(year):
    """Top 3 per year level in every institution that runs career mileage (results must exist)."""
    out = {}
    for inst in Institution.objects.all():
        if "career-mileage" in (inst.programs or []):
            HonorsClubRule.objects.get_or_create(institution=inst, defaults={"top_n": 3})
            out[inst.code] = len(services.honors_recompute(institution=inst, year=year))
    return out
