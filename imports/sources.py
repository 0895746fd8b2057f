"""What each campus system sends: its columns and the career-entry kind a row becomes.

A column accepts the evaluation contract's English field name and the Korean headers the
offices use (imports/README.md lists them). A cell is turned into the value the kind's form
expects (dates to ISO, 예/아니오 to booleans, Korean choice labels to the contract's codes);
the form itself (careers.kinds) then validates the row exactly as it validates a student's
input, so its error messages are the ones staff see.
"""
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careers.kinds import KIND_FORMS

# Fields of a row that are not fields of the kind's form.
STUDENT_NO = "student_no"
STUDENT_NAME = "student_name"  # optional cross-check against the profile
RECORD_ID = "record_id"  # the source system's own id: the row's key when present
GPA = "gpa"
SESSION = "session"  # character education: tells two sessions on one day apart (key only)

TEXT, DATE, BOOL, CHOICE, NUMBER = "text", "date", "bool", "choice", "number"

TRUE_WORDS = {"y", "yes", "true", "1", "o", "예", "네", "여", "있음", "해당", "인정", "가입"}
FALSE_WORDS = {"n", "no", "false", "0", "x", "아니오", "아니요", "부", "없음", "미해당", "미인정", "미가입"}

# Words the offices' systems use that are not our labels (the labels themselves, in Korean
# and English, and the contract's codes are always accepted).
EXTRA_CHOICE_WORDS = {
    "scale": {"국제대회": "international", "전국1": "national_1", "전국2": "national_2", "교내대회": "campus",
              "학과대회": "department"},
    "type": {"교환": "exchange", "해외연수": "training", "단기연수": "training"},
    "provider": {"학교": "campus", "본교": "campus", "외부": "external", "학부": "department"},
    "category": {"어학": "language"},
}


def normalise_header(text):
    """'시작일 (YYYY-MM-DD)*', 'Start Date', 'start_date' all compare equal to their bare name."""
    text = re.sub(r"\(.*?\)|\[.*?\]", "", str(text or ""))
    return re.sub(r"[\s_\-*·.]", "", text).casefold()


def _choice_key(text):
    return re.sub(r"[\s_\-()·]", "", str(text)).casefold()


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple  # the contract's (English) name first, then the Korean headers; headers[1] is shown
    type: str = TEXT
    default: object = None  # used when the cell is empty or the column absent
    key_only: bool = False  # distinguishes rows but is not stored in the entry's data

    @property
    def label(self):
        return self.headers[1] if len(self.headers) > 1 else self.headers[0]

    def matches(self, header):
        return normalise_header(header) in {normalise_header(h) for h in self.headers}


@dataclass(frozen=True)
class Source:
    code: str
    label: object
    kind: str  # the career-entry kind its rows become
    columns: tuple
    note: object = ""

    @property
    def form_class(self):
        return KIND_FORMS[self.kind]

    def column(self, field):
        return next(c for c in self.columns if c.field == field)

    def data_columns(self):
        """The columns that are fields of the kind's form."""
        fields = self.form_class.base_fields
        return [c for c in self.columns if c.field in fields and not c.key_only]

    def column_help(self):
        """(Korean header, contract name, other accepted headers, required) for the upload page."""
        required = {c.field for c in self.required_columns()}
        return [(c.label, c.headers[0], c.headers[2:], c.field in required) for c in self.columns]

    def required_columns(self):
        """Columns the header must have: required form fields without a default, and the student number."""
        fields = self.form_class.base_fields
        out = [self.column(STUDENT_NO)]
        if self.code == "academic_records":  # a row is a GPA, a course, or both: checked per row
            return out
        for c in self.data_columns():
            if fields[c.field].required and c.default is None:
                out.append(c)
        return out


def _common(*columns):
    return (
        Column(STUDENT_NO, ("student_no", "학번")),
        Column(STUDENT_NAME, ("student_name", "성명", "이름", "학생명")),
        Column(RECORD_ID, ("record_id", "관리번호", "기록번호", "고유번호", "일련번호")),
        *columns,
    )


SOURCES = {
    s.code: s
    for s in [
        Source(
            "academic_office_internships", gettext_lazy("Academic office: on-campus internships"), "internship",
            _common(
                Column("organization", ("organization", "기관명", "인턴십기관", "실습기관")),
                Column("start", ("start", "시작일"), DATE),
                Column("end", ("end", "종료일"), DATE),
                Column("health_insurance", ("health_insurance", "4대보험", "건강보험"), BOOL),
                Column("overseas", ("overseas", "해외"), BOOL),
                Column("credit_bearing", ("credit_bearing", "학점인정", "현장실습"), BOOL),
                Column("major_related", ("major_related", "전공관련"), BOOL),
            ),
        ),
        Source(
            "student_welfare_awards", gettext_lazy("Student welfare: on-campus awards"), "award",
            _common(
                Column("title", ("title", "수상명", "대회명")),
                Column("organizer", ("organizer", "주최", "주최기관")),
                Column("scale", ("scale", "규모"), CHOICE),
                Column("prize", ("prize", "수상등급", "등급"), CHOICE),
                Column("place", ("place", "순위"), NUMBER),
                Column("team_size", ("team_size", "팀인원", "인원"), NUMBER, default="1"),
                Column("work_id", ("work_id", "작품명", "작품")),
                Column("major_related", ("major_related", "전공관련"), BOOL),
                Column("date", ("date", "수상일", "취득일"), DATE),
            ),
        ),
        Source(
            "international_office_exchange", gettext_lazy("International office: exchange and training"),
            "overseas_study",
            _common(
                Column("type", ("type", "유형", "구분"), CHOICE),
                Column("country", ("country", "국가")),
                # The international office records the university's own programmes.
                Column("provider", ("provider", "주관"), CHOICE, default="campus"),
                Column("start", ("start", "시작일"), DATE),
                Column("end", ("end", "종료일"), DATE),
            ),
        ),
        Source(
            "academic_records", gettext_lazy("Academic records: GPA and courses"), "course",
            _common(
                Column(GPA, ("gpa", "평점", "평점평균", "평균평점")),
                # Not "name": in a student list that is the student's name.
                Column("name", ("course_name", "교과목명", "과목명")),
                Column("grade", ("grade", "성적", "등급"), CHOICE),
                # Courses on the transcript are for credit unless the file says otherwise.
                Column("credit_bearing", ("credit_bearing", "학점인정"), BOOL, default=True),
                Column("date", ("date", "이수일"), DATE),
            ),
            note=gettext_lazy("A row with a GPA updates the student's GPA; a row with a course name adds a course."),
        ),
        Source(
            "character_education", gettext_lazy("Character education and counseling (인성교육 및 상담)"),
            "character_education",
            _common(
                Column("date", ("date", "이수일", "실시일", "참여일"), DATE),
                Column(SESSION, ("session", "회차", "세션"), key_only=True),
            ),
            note=gettext_lazy("One row per completed session."),
        ),
        Source(
            "program_attendance", gettext_lazy("Program attendance"), "program",
            _common(
                Column("title", ("title", "프로그램명")),
                Column("hours", ("hours", "시간", "이수시간"), NUMBER),
                Column("certified", ("certified", "인증"), BOOL),
                Column("category", ("category", "분류", "영역"), CHOICE),
                # Programmes recorded by campus systems are the campus's own.
                Column("provider", ("provider", "주관"), CHOICE, default="campus"),
                Column("date", ("date", "이수일", "수료일"), DATE),
            ),
        ),
    ]
}
SOURCE_CHOICES = [(code, s.label) for code, s in SOURCES.items()]


# --- cells ------------------------------------------------------------------------------------
class CellError(Exception):
    pass


def cell_text(value):
    """A cell as text, whatever the reader gave (CSV: text; XLSX: numbers, dates, None)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(str(value)).normalize(), "f")
    return str(value).replace("\u00a0", " ").replace("\ufeff", "").strip()


_DATE = re.compile(r"^(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text):
    """2024-03-10, 2024.3.10, 2024/03/10, 2024년 3월 10일, 20240310 → 2024-03-10; else as given
    (the kind's form then reports it as an invalid date)."""
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not m:
        return text
    try:
        return datetime.date(*map(int, m.groups())).isoformat()
    except ValueError:
        return text


def parse_bool(text):
    word = text.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Enter Y or N (예/아니오)."))


_choice_cache = {}


def choice_words(kind, field):
    """Every accepted spelling of each choice of a form field → its code."""
    key = (kind, field)
    if key not in _choice_cache:
        words = {}
        choices = [(v, lbl) for v, lbl in KIND_FORMS[kind].base_fields[field].choices if v]
        for code, label in choices:
            words[_choice_key(code)] = code
            for language in ("en", "ko"):
                with translation.override(language):
                    text = str(label)
                words.setdefault(_choice_key(text), code)
                for inner in re.findall(r"\((.*?)\)", text):  # "Grand prize (대상)"
                    for part in inner.split("/"):  # "(출품/응모)"
                        words.setdefault(_choice_key(part), code)
        for word, code in EXTRA_CHOICE_WORDS.get(field, {}).items():
            if code in dict(choices):
                words.setdefault(_choice_key(word), code)
        _choice_cache[key] = words
    return _choice_cache[key]


def parse_choice(kind, field, text):
    words = choice_words(kind, field)
    code = words.get(_choice_key(text))
    if code is None:
        allowed = ", ".join(str(label) for value, label in KIND_FORMS[kind].base_fields[field].choices if value)
        raise CellError(_("Unknown value '%(value)s' (allowed: %(allowed)s).") % {"value": text, "allowed": allowed})
    return code


def parse_number(text):
    try:
        return format(Decimal(text.replace(",", "")).normalize(), "f")
    except InvalidOperation:
        return text  # the form says what is wrong with it


def parse_cell(source, column, text):
    """The cell's value for the kind's form (raises CellError). Empty cells take the default."""
    if text == "":
        return column.default if column.default is not None else ("" if column.type != BOOL else False)
    if column.type == DATE:
        return parse_date(text)
    if column.type == BOOL:
        return parse_bool(text)
    if column.type == CHOICE:
        return parse_choice(source.kind, column.field, text)
    if column.type == NUMBER:
        return parse_number(text)
    return text
