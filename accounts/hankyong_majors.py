"""Hankyong National University's majors as printed in seed 004's table of contents (2026-05).

(code, school (학부), major (전공), campus). The code is the table-of-contents number the
graduation-certification rule sets and the evaluation contract use. Where the table of
contents and the major's own heading differ, the heading's name is used (1-2 영미언어문화전공,
8-1 지역자원시스템공학전공, 17-2 한국수어교육전공 where the table of contents prints
한국수어교원전공); see ../shared/research/hankyong_part1.md §0.7.
"""

HANKYONG_MAJORS = [
    ("1-1", "인문융합공공인재학부", "문예창작미디어콘텐츠홍보전공", "anseong"),
    ("1-2", "인문융합공공인재학부", "영미언어문화전공", "anseong"),
    ("1-3", "인문융합공공인재학부", "행정학전공", "anseong"),
    ("1-4", "인문융합공공인재학부", "글로벌물류전공", "anseong"),
    ("1-5", "인문융합공공인재학부", "노동복지전공", "anseong"),
    ("2-1", "법경영학부", "법학전공", "anseong"),
    ("2-2", "법경영학부", "경영학전공", "anseong"),
    ("3-1", "웰니스산업융합학부", "의류산업학전공", "anseong"),
    ("3-2", "웰니스산업융합학부", "복지상담학전공", "anseong"),
    ("3-3", "웰니스산업융합학부", "식품영양학전공", "anseong"),
    ("4-1", "식물자원조경학부", "식물생명환경전공", "anseong"),
    ("4-2", "식물자원조경학부", "조경학전공", "anseong"),
    ("5-1", "동물생명융합학부", "동물생명과학전공", "anseong"),
    ("5-2", "동물생명융합학부", "동물응용과학전공", "anseong"),
    ("6-1", "생명공학부", "원예생명공학전공", "anseong"),
    ("6-2", "생명공학부", "응용생명공학전공", "anseong"),
    ("7-1", "건설환경공학부", "토목공학전공", "anseong"),
    ("7-2", "건설환경공학부", "환경공학전공", "anseong"),
    ("8-1", "사회안전시스템공학부", "지역자원시스템공학전공", "anseong"),
    ("8-2", "사회안전시스템공학부", "안전공학전공", "anseong"),
    ("9-1", "식품생명화학공학부", "식품생명공학전공", "anseong"),
    ("9-2", "식품생명화학공학부", "화학공학전공", "anseong"),
    ("10-1", "컴퓨터응용수학부", "컴퓨터공학전공", "anseong"),
    ("10-2", "컴퓨터응용수학부", "소프트웨어융합전공", "anseong"),
    ("10-3", "컴퓨터응용수학부", "응용수학전공", "anseong"),
    ("10-4", "컴퓨터응용수학부", "정보보안전공", "anseong"),
    ("11-1", "ICT로봇기계공학부", "ICT로봇공학전공", "anseong"),
    ("11-2", "ICT로봇기계공학부", "기계공학전공", "anseong"),
    ("12-1", "전자전기공학부", "전자공학전공", "anseong"),
    ("12-2", "전자전기공학부", "전기공학전공", "anseong"),
    ("13-1", "디자인예술스포츠학부", "시각미디어디자인전공", "anseong"),
    ("13-2", "디자인예술스포츠학부", "스포츠과학전공", "anseong"),
    ("14-1", "건축융합학부", "건축학전공", "anseong"),
    ("14-2", "건축융합학부", "건축공학전공", "anseong"),
    ("15-1", "미래융합학부", "행정관리전공", "anseong"),
    ("16-1", "디자인예술학부", "제품공간디자인전공", "pyeongtaek"),
    ("16-2", "디자인예술학부", "실용음악학전공", "pyeongtaek"),
    ("16-3", "디자인예술학부", "귀금속보석공예전공", "pyeongtaek"),
    ("17-1", "복지융합학부", "사회복지학전공", "pyeongtaek"),
    ("17-2", "복지융합학부", "한국수어교육전공", "pyeongtaek"),
    ("17-3", "복지융합학부", "유아특수보육학전공", "pyeongtaek"),
    ("17-4", "복지융합학부", "의료재활공학전공", "pyeongtaek"),
    ("18-1", "사회통합학부", "공공행정전공", "pyeongtaek"),
    ("18-2", "사회통합학부", "상담심리교육전공", "pyeongtaek"),
    ("18-3", "사회통합학부", "특수체육학전공", "pyeongtaek"),
    ("19-1", "AI반도체융합학부", "AI반도체융합전공", "pyeongtaek"),
    ("20-1", "글로벌창의인재학부", "글로벌경영전공", "anseong"),
]

CAMPUSES = {"anseong": "안성캠퍼스", "pyeongtaek": "평택캠퍼스"}


def load_hankyong(apps=None):
    """Create Hankyong's institution, campuses, schools and majors where missing (idempotent).

    `apps` is a migration's app registry; None uses the current models.
    """
    if apps is None:
        from django.apps import apps
    Institution = apps.get_model("accounts", "Institution")
    Campus = apps.get_model("accounts", "Campus")
    Department = apps.get_model("accounts", "Department")
    Major = apps.get_model("accounts", "Major")
    hankyong, _ = Institution.objects.get_or_create(
        code="hankyong", defaults={"name": "한경국립대학교", "programs": ["hankyong-grad-cert", "career-mileage"]}
    )
    campuses = {
        code: Campus.objects.get_or_create(institution=hankyong, code=code, defaults={"name": name})[0]
        for code, name in CAMPUSES.items()
    }
    for code, school, major, campus in HANKYONG_MAJORS:
        department, _ = Department.objects.get_or_create(campus=campuses[campus], name=school)
        Major.objects.get_or_create(department=department, name=major, defaults={"code": code})
    return hankyong
