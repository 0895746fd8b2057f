"""Create a realistic demo population and print the logins.

Three institutions (one per rule program of the portal), 72 students over several majors of
both Hankyong campuses and the other two schools, entries of every kind in every state with
evidence, plus staff, advisors and an admin. Run again: it prints the logins and changes
nothing (use --reset to start over).
"""
import datetime
import random

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.hankyong_majors import load_hankyong
from accounts.models import Campus, Department, Institution, Major, Role, StaffScope, User
from careers.demo import image_bytes, pdf_bytes
from careers.evidence import check_upload
from careers.kinds import KIND_FORMS
from careers.models import (
    AdmissionType, CareerEntry, EntryStatus, Evidence, Organization, SelfIntroduction, StudentProfile,
)

PASSWORD = "demo1234!"
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "도윤", "지우", "하준", "서윤", "은우", "하은", "지호", "수아", "예준", "지민",
         "유진", "현우", "채원", "준서", "다은", "시우", "윤서", "건우", "소율", "우진", "예린", "태윤"]
ORGS = [
    ("삼성전자", "company"), ("LG전자", "company"), ("현대자동차", "company"), ("SK하이닉스", "company"),
    ("네이버", "company"), ("카카오", "company"), ("한국전력공사", "public"), ("한국산업인력공단", "public"),
    ("한국관광공사", "public"), ("국민건강보험공단", "public"), ("대한적십자사", "nonprofit"),
    ("안성시자원봉사센터", "public"), ("평택시자원봉사센터", "public"), ("경기도청", "public"),
    ("한국장학재단", "public"), ("과학기술정보통신부", "public"), ("중소벤처기업부", "public"),
    ("한국디자인진흥원", "public"), ("한국경제신문", "company"), ("한경국립대학교", "school"),
    ("대구대학교", "school"), ("굿네이버스", "nonprofit"), ("월드비전", "nonprofit"), ("포스코", "company"),
]
HANKYONG_DEMO_MAJORS = ["10-3", "10-1", "2-2", "11-2", "1-3", "20-1", "17-1", "19-1", "16-2"]
OTHER_SCHOOLS = [
    # (institution code, name, programs, campus code, campus name, [(department, major)])
    ("daegu", "대구대학교", ["du-heart", "career-mileage"], "gyeongsan", "경산캠퍼스",
     [("정보통신공학부", "컴퓨터정보공학전공"), ("경영학부", "경영학전공"), ("사회복지학과", "사회복지학전공")]),
    ("hanbit", "한빛대학교", ["career-mileage"], "main", "본교",
     [("경영학과", "경영학전공"), ("기계공학과", "기계공학전공")]),
]
INTRO = ("저는 문제를 끝까지 파고드는 끈기와 동료와 함께 답을 찾는 협업 능력을 강점으로 생각합니다. "
         "학과 프로젝트와 봉사활동을 통해 계획을 세우고 실행하는 경험을 쌓았으며, "
         "졸업 후에는 전공 지식을 살려 사회에 기여하는 전문가로 성장하고 싶습니다.")


def _entry_specs(rng, today):
    """Plausible data for each student-creatable kind, valid against the kind's form."""
    def day(years_back_max=3):
        return today - datetime.timedelta(days=rng.randint(20, 365 * years_back_max))

    start = day(2)
    return {
        "language_test": {"test": "TOEIC", "score": rng.choice([550, 605, 650, 705, 780, 845, 910]), "date": day()},
        "certificate": rng.choice([
            {"name": "컴퓨터활용능력", "grade": rng.choice(["1급", "2급"]), "category": "national_accredited_private",
             "date": day()},
            {"name": "정보처리기사", "grade": "", "category": "national_technical", "tier": "기사", "date": day()},
            {"name": "한국사능력검정시험", "grade": "2급", "category": "national_accredited_private", "date": day()},
        ]),
        "award": {"title": rng.choice(["전국 대학생 창업 아이디어 공모전", "교내 캡스톤디자인 경진대회", "공공데이터 활용 공모전"]),
                  "organizer": rng.choice(["중소벤처기업부", "한경국립대학교", "한국관광공사"]),
                  "scale": rng.choice(["national_1", "campus", "national_2"]),
                  "prize": rng.choice(["grand", "excellence", "encouragement"]),
                  "team_size": rng.choice([1, 2, 3, 4]), "date": day()},
        "paper": {"title": "스마트팜 센서 데이터의 이상치 탐지", "venue": rng.choice(["kci", "domestic_conference"]),
                  "format": "paper", "role": "coauthor", "authors": 4, "date": day()},
        "program": {"title": rng.choice(["취업역량 강화 캠프", "AI 기초 부트캠프", "창업 아이디어 워크숍"]),
                    "hours": rng.choice([2, 8, 12, 24, 40]), "certified": rng.random() < 0.3,
                    "category": rng.choice(["employment", "startup", "learning"]), "provider": "campus", "date": day()},
        "volunteer": {"organization": rng.choice(["안성시자원봉사센터", "대한적십자사", "평택시자원봉사센터", "행복나눔 지역아동센터"]),
                      "hours": rng.choice([4, 8, 16, 30]), "verified_by": rng.choice(["1365", "vms"]), "date": day()},
        "internship": {"organization": rng.choice(["LG전자", "한국전력공사", "네이버", "스타트업 코드랩"]),
                       "start": start, "end": min(start + datetime.timedelta(days=rng.choice([28, 56, 120])), today),
                       "health_insurance": rng.random() < 0.5, "major_related": True},
        "overseas_study": {"type": "language_training", "country": "캐나다", "provider": "external",
                           "start": start, "end": min(start + datetime.timedelta(days=30), today)},
        "leadership": {"organization": "department_council", "role": rng.choice(["president", "officer"]),
                       "semesters": 2, "date": day()},
        "activity": {"title": "졸업작품 전시회", "type": "exhibition", "result": "entered", "count": 1, "date": day()},
    }


class Command(BaseCommand):
    help = "Create demo institutions, students with entries in every state, staff, advisors and an admin."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo users and their data first.")

    def handle(self, *args, reset=False, **options):
        if reset:
            self._reset()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Demo data is already there (use --reset to recreate it).")
        else:
            with transaction.atomic():
                self._create()
            # After the commit: the sessions' counseling entries have been scored by then.
            from advising.demo import seed_honors

            seed_honors(timezone.localdate().year)
        self._print_logins()

    def _reset(self):
        with transaction.atomic():
            for evidence in Evidence.objects.filter(entry__student__user__username__startswith="s"):
                evidence.file.delete(save=False)
            CareerEntry.objects.all().delete()
            from advising.models import SpecialGroup

            SpecialGroup.objects.all().delete()  # its creator is kept (PROTECT) while it exists
            StudentProfile.objects.all().delete()
            User.objects.filter(is_superuser=False).delete()
            User.objects.filter(username="admin").delete()

    def _user(self, username, **fields):
        # One hash for every demo account: hashing 90 passwords one by one takes half a minute.
        return User.objects.create(username=username, password=self.password_hash, **fields)

    def _create(self):
        rng = random.Random(2026)
        self.password_hash = make_password(PASSWORD)
        today = timezone.localdate()
        for name, kind in ORGS:
            Organization.objects.get_or_create(name=name, defaults={"kind": kind})

        hankyong = load_hankyong()  # normally there from the migration; a flushed database lacks it
        # Hankyong runs its own programs only: DU-HEART is Daegu's (issue 13: a Hankyong student was
        # shown DU-HEART balances no window of hers could ever pay). The Daegu students show DU-HEART.
        hankyong.programs = ["hankyong-grad-cert", "career-mileage"]
        hankyong.save(update_fields=["programs"])
        majors = list(Major.objects.filter(code__in=HANKYONG_DEMO_MAJORS).select_related("department__campus"))
        for code, name, programs, campus_code, campus_name, departments in OTHER_SCHOOLS:
            inst, _ = Institution.objects.get_or_create(code=code, defaults={"name": name, "programs": programs})
            campus, _ = Campus.objects.get_or_create(institution=inst, code=campus_code, defaults={"name": campus_name})
            for dep_name, major_name in departments:
                dep, _ = Department.objects.get_or_create(campus=campus, name=dep_name)
                majors.append(Major.objects.get_or_create(department=dep, name=major_name)[0])

        admin = User.objects.create_superuser("admin", "admin@example.ac.kr", PASSWORD, role=Role.ADMIN,
                                              display_name="포털 관리자")
        self.logins = [("admin", "admin", admin.display_name)]
        advisors = []
        for i, major in enumerate(majors):
            user = self._user(f"prof{i + 1:02d}", role=Role.ADVISOR,
                                            display_name=f"{SURNAMES[i % len(SURNAMES)]}교수 ({major.name})")
            advisors.append(user)
        for inst in Institution.objects.all():
            user = self._user(f"staff-{inst.code}", role=Role.STAFF,
                                            display_name=f"{inst.name} 취업지원팀")
            StaffScope.objects.create(user=user, institution=inst, central_office="취업지원팀")
        dept_staff = self._user("staff-10-3", role=Role.STAFF,
                                              display_name="컴퓨터응용수학부 학과사무실")
        major_103 = next(m for m in majors if m.code == "10-3")
        StaffScope.objects.create(user=dept_staff, department=major_103.department,
                                  institution=major_103.department.campus.institution)

        # The 10-3 mentor chairs its graduation-certification committee; the department runs a
        # program that has ended and waits for its close.
        from certification.models import CommitteeMembership
        from programs.models import Program

        CommitteeMembership.objects.create(user=advisors[majors.index(major_103)], major=major_103, chair=True)
        Program.objects.create(department=major_103.department, title="AI 기초 부트캠프", category="learning",
                               hours=12, certified=True, starts_on=today - datetime.timedelta(days=40),
                               ends_on=today - datetime.timedelta(days=10), created_by=dept_staff)

        statuses = [EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.APPROVED, EntryStatus.APPROVED,
                    EntryStatus.APPROVED, EntryStatus.REJECTED, EntryStatus.REVOKED]
        reviewers = {inst.code: User.objects.get(username=f"staff-{inst.code}") for inst in Institution.objects.all()}
        number = 0
        for index in range(72):
            major = majors[index % len(majors)]
            campus = major.department.campus
            year_level = 1 + index % 4
            # Transfers enter at year 3 or 4; for them admission_year is the year of transfer.
            choices = [AdmissionType.FRESHMAN, AdmissionType.FOREIGN]
            if year_level >= 3:
                choices.append(AdmissionType.TRANSFER_3)
            if year_level == 4:
                choices.append(AdmissionType.TRANSFER_4)
            adm_type = rng.choices(choices, weights=[80, 6, 10, 4][: len(choices)])[0]
            entry_level = {AdmissionType.TRANSFER_3: 3, AdmissionType.TRANSFER_4: 4}.get(adm_type, 1)
            admission_year = today.year - (year_level - entry_level) - (1 if today.month < 3 else 0)
            number += 1
            student_no = f"{admission_year}{campus.institution_id:01d}{number:05d}"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            user = self._user(f"s{student_no}", role=Role.STUDENT, display_name=name)
            student = StudentProfile.objects.create(
                user=user, student_no=student_no, name=name, major=major, admission_year=admission_year,
                admission_type=adm_type, year_level=year_level,
                semesters_completed=(year_level - entry_level) * 2 + (1 if today.month >= 9 else 0),
                gpa=round(rng.uniform(2.6, 4.4), 2),
                expected_graduation=datetime.date(admission_year + 5 - entry_level, 2, 20),
                mentor=advisors[majors.index(major)],
                flags={"national_scholarship_applied": rng.random() < 0.7, "athlete": rng.random() < 0.03},
            )
            if len(self.logins) < 12 or index in (0, 1):
                self.logins.append((user.username, "student", f"{name} · {campus.institution.name} {major.name}"))
            if index % 6 == 5:
                continue  # some students have not written anything yet: the gate shows
            SelfIntroduction.objects.create(student=student, job_fields=rng.sample(["it", "engineering", "public", "finance"], 2),
                                            desired_companies=rng.choice(["삼성전자, 네이버", "한국전력공사", "LG전자"]), text=INTRO)
            specs = _entry_specs(rng, today)
            for kind in rng.sample(list(specs), rng.randint(3, 7)):
                self._entry(student, kind, specs[kind], rng.choice(statuses), reviewers[campus.institution.code], today)

        from scoring.services import recompute_student

        for student in StudentProfile.objects.all():
            recompute_student(student_id=student.pk)

        from advising.demo import seed as seed_advising  # mentors' profiles, counselors, counseling sessions

        seed_advising(rng, today)

        for user in User.objects.exclude(role=Role.STUDENT).exclude(username="admin"):
            self.logins.append((user.username, user.role, user.display_name))

    def _entry(self, student, kind, data, status, reviewer, today):
        form = KIND_FORMS[kind](data={k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()})
        if not form.is_valid():  # demo data must pass the same validation as a student's input
            raise ValueError(f"demo {kind}: {form.errors.as_json()}")
        org = Organization.objects.filter(name=form.cleaned_data.get(form.org_field or "", "")).first()
        decided = status in (EntryStatus.APPROVED, EntryStatus.REJECTED, EntryStatus.REVOKED)
        reason = {EntryStatus.REJECTED: "증빙서류의 기간이 확인되지 않습니다. 기간이 명시된 증명서를 올려 주세요.",
                  EntryStatus.REVOKED: "원본 확인 결과 발급 정보가 일치하지 않아 취소합니다."}.get(status, "")
        entry = CareerEntry.objects.create(
            student=student, kind=kind, status=status, date=form.entry_date(), data=form.to_data(),
            organization=org, organization_direct_input=bool(form.org_field and not org),
            submitted_on=None if status == EntryStatus.DRAFT else min(form.entry_date() + datetime.timedelta(days=7), today),
            decided_at=timezone.now() if decided else None, decided_by=reviewer if decided else None,
            decision_reason=reason, created_by=student.user,
        )
        if status != EntryStatus.DRAFT or len(str(entry.pk)) % 2:
            upload = (SimpleUploadedFile("성적표.pdf", pdf_bytes(f"{kind} evidence"), "application/pdf")
                      if kind != "certificate" else
                      SimpleUploadedFile("자격증.png", image_bytes("PNG", f"{kind} evidence"), "image/png"))
            checked = check_upload(upload)
            evidence = Evidence(entry=entry, original_name=upload.name, content_type=checked.content_type,
                                size=len(checked.content), sha256=checked.sha256, uploaded_by=student.user)
            evidence.file.save("upload", ContentFile(checked.content), save=True)

    def _print_logins(self):
        logins = getattr(self, "logins", None)
        if logins is None:
            logins = [(u.username, u.role, u.display_name) for u in
                      User.objects.exclude(role=Role.STUDENT).order_by("username")]
            logins += [(u.username, u.role, u.display_name) for u in
                       User.objects.filter(role=Role.STUDENT).order_by("username")[:10]]
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {PASSWORD})"))
        for username, role, name in logins:
            self.stdout.write(f"  {username:<20} {role:<8} {name}")
        self.stdout.write(f"  … {StudentProfile.objects.count()} students in all; every student logs in as s<student number>.")
