"""One form per career-entry kind of the evaluation contract (docs/evaluate.md).

A kind's form is the single definition of its fields and their validation: the student pages
render it, the API validates through it, and `to_data()` gives the contract's field names, so
the engine's input is the stored data as it is. Field names are the contract's.
"""
import datetime
import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.engine.certificates import catalogue as _certificate_catalogue
from scoring.engine.certificates import describe as describe_certificate
from scoring.engine.inputs import LEVEL_PASS_MARKS, NEW_TEPS_FROM
from scoring.engine.scales import SCORE_SCALES


def certificate_names():
    """The catalogue's official names, for the certificate form's pick list."""
    return sorted(_certificate_catalogue().names())


def certificate_options():
    """The pick list's options: name, and the category and tier a page fills in when it is picked
    (a tier that depends on the grade, 컴퓨터활용능력 1급/2급, is left to the server)."""
    options = []
    for r in sorted(_certificate_catalogue().records, key=lambda r: r.name):
        fill = {}
        if r.category:  # a name whose category the catalogue leaves open fills nothing
            fill["category"] = r.category
            if r.tier or r.category != "national_technical":
                fill["tier"] = r.tier or ""
        options.append({"value": r.name, "fill": fill})
    return options


# ---------------------------------------------------------------------------------------------
# Language tests: the real score range of each test, (min, max, step), is the engine's table
# (scoring/engine/scales.py), so the form and the engine refuse the same scores; the allowed
# grades of graded ones are below.
SCORE_RANGES = SCORE_SCALES
GRADES = {
    "OPIC": ["AL", "IH", "IM3", "IM2", "IM1", "IL", "NH"],
    "JLPT": ["N1", "N2", "N3", "N4", "N5"],
    "HSK": ["1", "2", "3", "4", "5", "6"],
    "TOPIK": ["1", "2", "3", "4", "5", "6"],
    "TORFL": ["basic", "1", "2"],
    "ZD": ["A1", "A2", "B1", "B2", "C1", "C2"],
    "DELF": ["A1", "A2", "B1", "B2", "C1", "C2"],
}
LANGUAGE_TESTS = [
    ("TOEIC", "TOEIC"), ("TOEIC_SPEAKING", "TOEIC Speaking"), ("TOEFL_IBT", "TOEFL iBT"),
    ("TOEFL_PBT", "TOEFL PBT"), ("TOEFL_CBT", "TOEFL CBT"), ("TEPS", "TEPS"), ("NEW_TEPS", "New TEPS"),
    ("IELTS", "IELTS"), ("OPIC", "OPIc"), ("G_TELP", "G-TELP"), ("JLPT", "JLPT"), ("JPT", "JPT"),
    ("HSK", "HSK"), ("CPT", "CPT"), ("TORFL", "TORFL"), ("ZD", "Goethe-Zertifikat (ZD)"),
    ("DELF", "DELF"), ("TCF", "TCF"), ("TOPIK", "TOPIK"), ("NEAT", "NEAT"),
    ("CIVIL_SERVICE_ENGLISH", _("Civil-service exam English")),
]
ALL_GRADES = sorted({g for grades in GRADES.values() for g in grades})

LETTER_GRADES = ["A+", "A0", "A", "B+", "B0", "B", "C+", "C0", "C", "D+", "D0", "D", "F", "P", "NP"]
BUSINESS_NO = re.compile(r"^\d{3}-?\d{2}-?\d{5}$")


def _choices(*pairs):
    return list(pairs)


class KindForm(forms.Form):
    """Base of every kind's form. Subclasses set the class attributes below."""

    kind = ""
    label = ""
    date_field = "date"  # which field is the contract's `date` (when it was obtained)
    requires_evidence = True  # seed 000: "진위확인을 위해 ... 업로드하지 않으면 저장이 되지 않습니다"
    student_may_create = True  # False: arrives from staff, committees or campus systems
    org_field = None  # the field that names an organisation (picked from the directory)
    group = ""  # the dashboard's category

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.DateField) and value and value > today:
                self.add_error(name, _("%(field)s cannot be in the future.") % {"field": field.label})
            if isinstance(field, forms.DateField) and value and value < datetime.date(1950, 1, 1):
                self.add_error(name, _("%(field)s is too far in the past.") % {"field": field.label})
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("%(field)s must be on or after the start date.") % {"field": self.fields["end"].label})
        return cleaned

    def to_data(self):
        """The cleaned fields as JSON-safe values under the contract's names."""
        out = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            if isinstance(value, (datetime.date,)):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            out[name] = value
        return out

    def entry_date(self):
        return self.cleaned_data[self.date_field]

    @classmethod
    def summary(cls, data):
        """A short line naming the entry, for lists."""
        return str(cls.label)


def _date(label, **kw):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kw)


def _int(label, min_value=None, max_value=None, **kw):
    return forms.IntegerField(label=label, min_value=min_value, max_value=max_value, **kw)


def _bool(label, help_text=""):
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _tristate(label, help_text=""):
    """Yes / no / not said: for fields a rule reads where an explicit "no" refuses the row and a
    missing value is checked on approval (an unticked checkbox would send "no")."""
    return forms.NullBooleanField(label=label, required=False, help_text=help_text, widget=_YesNoUnsaid())


class _YesNoUnsaid(forms.NullBooleanSelect):
    """Django's yes/no/unknown select (it keeps the choice when a form is shown again), "—" for
    not said."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]


class LanguageTestForm(KindForm):
    kind = "language_test"
    label = _("Language test")
    group = "language"
    test = forms.ChoiceField(label=_("Test"), choices=LANGUAGE_TESTS)
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=6, decimal_places=1)
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", "—")] + [(g, g) for g in ALL_GRADES])
    level = _int(_("G-TELP level"), 1, 5, required=False)
    cert_no = forms.CharField(label=_("Certificate (issue) number"), max_length=50, required=False)
    date = _date(_("Test date"))

    def clean(self):
        cleaned = super().clean()
        test, score, grade = cleaned.get("test"), cleaned.get("score"), cleaned.get("grade")
        if not test:
            return cleaned
        if test in GRADES:
            if not grade:
                self.add_error("grade", _("Grade: choose the grade for %(test)s.") % {"test": test})
            elif grade not in GRADES[test]:
                self.add_error(
                    "grade",
                    _("Grade: %(grade)s is not a grade of %(test)s (allowed: %(allowed)s).")
                    % {"grade": grade, "test": test, "allowed": ", ".join(GRADES[test])},
                )
            marks = LEVEL_PASS_MARKS.get(test, {}).get(grade) if grade else None
            if score is not None and test not in LEVEL_PASS_MARKS:
                self.add_error("score", _("Score: %(test)s is graded, enter a grade instead of a score.") % {"test": test})
            elif score is not None and marks is not None and not (0 <= score <= marks[1]):
                # HSK and JLPT report a total beside the level: rows with a score floor (HSK "5급(210-)")
                # read it, and the engine takes a score under the level's pass mark as not obtained
                self.add_error("score", _("Score: a %(test)s %(grade)s score is between 0 and %(max)s.")
                               % {"test": test, "grade": grade, "max": marks[1]})
        else:
            low, high, step = SCORE_RANGES[test]
            if score is None:
                self.add_error("score", _("Score: enter the %(test)s score.") % {"test": test})
            elif not (low <= score <= high):
                self.add_error(
                    "score",
                    _("Score: a %(test)s score is between %(min)s and %(max)s.")
                    % {"test": test, "min": _num(low), "max": _num(high)},
                )
            elif score % step != 0:
                self.add_error(
                    "score", _("Score: %(test)s scores come in steps of %(step)s.") % {"test": test, "step": _num(step)}
                )
            elif test == "TEPS" and score > 600 and cleaned.get("date") and cleaned["date"] >= NEW_TEPS_FROM:
                # the engine reads such a TEPS as the New TEPS (600 points) and refuses more (issue 10 §3)
                self.add_error("score", _("Score: a TEPS taken from round 248 (12 May 2018) on is the New TEPS, "
                                          "scored 10 to 600."))
            if grade:
                self.add_error("grade", _("Grade: %(test)s is scored, not graded.") % {"test": test})
        if test == "G_TELP" and not cleaned.get("level"):
            self.add_error("level", _("G-TELP level: choose the level (1-5)."))
        if test != "G_TELP" and cleaned.get("level"):
            self.add_error("level", _("G-TELP level: only G-TELP has a level."))
        return cleaned

    @classmethod
    def summary(cls, data):
        value = data.get("score", data.get("grade", ""))
        level = " " + str(_("Level %(level)s") % {"level": data["level"]}) if data.get("level") else ""
        test = data.get("test", "")
        return f"{dict(LANGUAGE_TESTS).get(test, test)}{level} {value}".strip()  # the test's name, not its code


def _num(d):
    return format(d.normalize(), "f") if isinstance(d, Decimal) else str(d)


class CertificateForm(KindForm):
    kind = "certificate"
    label = _("Certificate")
    group = "certificate"
    name = forms.CharField(
        label=_("Certificate name"), max_length=100,
        help_text=_("Pick the official name from the list as you type (e.g. 컴퓨터활용능력); if it is not "
                    "listed, type the name as printed. Category and tier of a listed name are filled in."),
        widget=forms.TextInput(attrs={"list": "certificate-names", "autocomplete": "off"}),
    )
    grade = forms.CharField(label=_("Grade"), max_length=20, required=False, help_text=_("e.g. 1급, 2급; empty if none"))
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", "—")] + [
            ("national_professional", _("National professional")),
            ("national_technical", _("National technical")),
            ("national_accredited_private", _("Nationally accredited private")),
            ("private", _("Private")),
        ],
    )
    tier = forms.ChoiceField(
        label=_("Technical tier"),
        required=False,
        choices=[("", "—")] + [(t, t) for t in ["기술사", "기능장", "기사", "산업기사", "기능사", "서비스1급", "서비스2급"]],
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, initial="final",
        choices=[("final", _("Final")), ("first_round", _("First round (1차)"))],
    )
    cert_no = forms.CharField(label=_("Certificate number"), max_length=50, required=False)
    # read by rules of the student's major: 4-2, 5-1, 5-2, 7-1, 7-2, 8-1 (전공 관련 자격증)
    major_related = _bool(_("Related to my major"))
    date = _date(_("Date acquired"))

    # the catalogue's official names, offered as a <datalist> (templates/careers/entry_form.html)
    datalist_id = "certificate-names"

    @staticmethod
    def datalist_options():
        return certificate_options()

    def clean(self):
        cleaned = super().clean()
        # A name the catalogue knows gives category and tier (scoring/engine/certificates.py: the
        # catalogue wins, as in the engine); an unknown name keeps what the student chose.
        known = describe_certificate(cleaned.get("name"), cleaned.get("grade")) if cleaned.get("name") else None
        if known is not None:
            if known["category"]:
                cleaned["category"] = known["category"]
            if known["tier"]:
                cleaned["tier"] = known["tier"]
            elif known["category"] and known["category"] != "national_technical":
                cleaned["tier"] = ""
        category = cleaned.get("category")
        if not category and cleaned.get("name"):
            self.add_error("category", _("Category: %(name)s is not in the certificate list; choose its category.")
                           % {"name": cleaned["name"]})
        if category == "national_technical" and not cleaned.get("tier") and known is None:
            self.add_error("tier", _("Technical tier: choose the tier of a national technical certificate."))
        if category and category != "national_technical" and cleaned.get("tier"):
            self.add_error("tier", _("Technical tier: only national technical certificates have a tier."))
        if not cleaned.get("stage"):
            cleaned["stage"] = "final"
        return cleaned

    @classmethod
    def summary(cls, data):
        return f"{data.get('name', '')} {data.get('grade', '')}".strip()


AWARD_SCALES = [
    ("international", _("International")),
    ("national_1", _("National, tier 1")),
    ("national_2", _("National, tier 2")),
    ("campus", _("Campus")),
    ("department", _("Department")),
]
PRIZES = [
    ("grand", _("Grand prize (대상)")),
    ("top_excellence", _("Top excellence (최우수상)")),
    ("excellence", _("Excellence (우수상)")),
    ("encouragement", _("Encouragement (장려상)")),
    ("honorable_mention", _("Honorable mention (입선)")),
    ("entry", _("Entry only (출품/응모)")),
]


class AwardForm(KindForm):
    kind = "award"
    label = _("Award or contest")
    group = "award"
    org_field = "organizer"
    title = forms.CharField(label=_("Contest or award title"), max_length=200)
    organizer = forms.CharField(label=_("Organizer"), max_length=200)
    scale = forms.ChoiceField(label=_("Scale"), choices=AWARD_SCALES)
    prize = forms.ChoiceField(label=_("Prize"), choices=PRIZES)
    place = _int(_("Place"), 1, 100, required=False, help_text=_("1 = first prize, when ranked"))
    team_size = _int(_("Team size"), 1, 100, initial=1, help_text=_("1 = individual"))
    # read by rules of the student's major: 5-1, 5-2, 8-1 (학회 수상), 4-2 (해외 대회)
    academic_society = _bool(_("Awarded by an academic society (학회)"))
    overseas = _bool(_("Held overseas"))
    work_id = forms.CharField(
        label=_("Work"), max_length=100, required=False,
        help_text=_("Same name for the same work entered in several contests"),
    )
    major_related = _bool(_("Related to my major"))
    date = _date(_("Award (or entry) date"))

    @classmethod
    def summary(cls, data):
        return data.get("title", "")


class PaperForm(KindForm):
    kind = "paper"
    label = _("Paper")
    group = "paper"
    title = forms.CharField(label=_("Paper title"), max_length=300)
    venue = forms.ChoiceField(
        label=_("Venue"),
        choices=[
            ("intl_indexed", _("International indexed (SSCI, A&HCI, SCIE, SCOPUS)")),
            ("kci", _("KCI listed (등재지)")),
            ("kci_candidate", _("KCI candidate (등재후보지)")),
            ("intl_general", _("International, general")),
            ("intl_conference", _("International conference")),
            ("domestic_conference", _("Domestic conference")),
            ("national_general", _("Domestic, general")),
            ("campus", _("Campus journal")),
        ],
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("paper", _("Paper")), ("poster", _("Poster"))])
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("first", _("First author")), ("corresponding", _("Corresponding author")), ("coauthor", _("Co-author"))],
    )
    authors = _int(_("Number of authors"), 1, 100)
    paper_id = forms.CharField(label=_("DOI or paper id"), max_length=100, required=False)
    fee_funded_by_school = _bool(_("The publication fee was paid by the school"))
    # read by 16-1: a paper marked not related to the major is refused; presenters divide a talk
    major_related = _tristate(_("Related to my major"))
    presenters = _int(_("Presenters"), 1, 100, required=False,
                      help_text=_("How many presented it at the conference; empty = the number of authors"))
    date = _date(_("Publication date"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == "coauthor" and cleaned.get("authors") == 1:
            self.add_error("authors", _("Number of authors: a co-authored paper has at least 2 authors."))
        return cleaned

    @classmethod
    def summary(cls, data):
        return data.get("title", "")


PROGRAM_CATEGORIES = [
    ("employment", _("Employment")), ("startup", _("Start-up")), ("major", _("Major")),
    ("learning", _("Learning")), ("language", _("Language")), ("other", _("Other")),
]


class ProgramForm(KindForm):
    kind = "program"
    label = _("Program")
    group = "program"
    title = forms.CharField(label=_("Program title"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal(2000), decimal_places=1)
    certified = _bool(_("Certified (인증) program"))
    # read by rules of the student's major: 18-2, 18-3 (취업캠프), 8-2 from 2026-08 (GOOD-GIL)
    camp = _bool(_("Employment camp (취업캠프)"))
    goodgil = _tristate(_("Registered in GOOD-GIL (굿길)"))
    category = forms.ChoiceField(label=_("Category"), choices=PROGRAM_CATEGORIES)
    provider = forms.ChoiceField(
        label=_("Provider"),
        choices=[
            ("campus", _("Campus")), ("department", _("Department")),
            ("national_agency", _("National agency")), ("external", _("External")),
        ],
    )
    date = _date(_("Completion date"))

    @classmethod
    def summary(cls, data):
        return f"{data.get('title', '')} ({data.get('hours', '')}h)"


class VolunteerForm(KindForm):
    kind = "volunteer"
    label = _("Volunteering")
    group = "volunteer"
    org_field = "organization"
    organization = forms.CharField(label=_("Organization"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal(5000), decimal_places=1)
    verified_by = forms.ChoiceField(
        label=_("Verified by"),
        choices=[("vms", "VMS"), ("1365", "1365"), ("public_agency", _("Public agency")),
                 ("campus", _("Campus")), ("other", _("Other"))],
    )
    overseas = _bool(_("Overseas"))
    blood_donation = _bool(_("Blood donation"))
    # read by rules of the student's major: 4-1, 5-1, 5-2, 6-1 (해외 기관 봉사 days)
    start = _date(_("Start date"), required=False)
    end = _date(_("Last day"), required=False)
    date = _date(_("End date"))

    @classmethod
    def summary(cls, data):
        return f"{data.get('organization', '')} ({data.get('hours', '')}h)"


class InternshipForm(KindForm):
    kind = "internship"
    label = _("Internship")
    group = "internship"
    org_field = "organization"
    date_field = "end"  # seed 000: "인정일자는 자동생성" (the recognition date is the end date)
    organization = forms.CharField(label=_("Host organization"), max_length=200)
    start = _date(_("Start date"))
    end = _date(_("End date"))
    health_insurance = _bool(_("Covered by health insurance"))
    overseas = _bool(_("Overseas"))
    credit_bearing = _bool(_("For credit (현장실습)"))
    major_related = _bool(_("Related to my major"))
    # read by 8-2 from 2026-08 (1개월 주 30시간 이상)
    weekly_hours = forms.DecimalField(label=_("Hours a week"), required=False, min_value=Decimal(1),
                                      max_value=Decimal(80), decimal_places=1)

    @classmethod
    def summary(cls, data):
        return f"{data.get('organization', '')} {data.get('start', '')}~{data.get('end', '')}"


class OverseasStudyForm(KindForm):
    kind = "overseas_study"
    label = _("Overseas study")
    group = "overseas"
    date_field = "end"
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("exchange", _("Exchange")), ("credit_exchange", _("Credit exchange")),
                 ("language_training", _("Language training")), ("training", _("Training"))],
    )
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    provider = forms.ChoiceField(label=_("Provider"), choices=[("campus", _("Campus")), ("external", _("External"))])
    start = _date(_("Start date"))
    end = _date(_("End date"))

    @classmethod
    def summary(cls, data):
        return f"{data.get('country', '')} {data.get('start', '')}~{data.get('end', '')}".strip()


class LeadershipForm(KindForm):
    kind = "leadership"
    label = _("Leadership")
    group = "other"
    organization = forms.ChoiceField(
        label=_("Organization"),
        choices=[
            ("student_council", _("Student council")), ("college_council", _("College council")),
            ("department_council", _("Department council")), ("club", _("Club")),
            ("academic_club", _("Academic club")), ("graduation_committee", _("Graduation committee")),
            ("press", _("Campus press")),
        ],
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("president", _("President")), ("vice_president", _("Vice president")),
                 ("officer", _("Officer")), ("member", _("Member"))],
    )
    semesters = _int(_("Semesters"), 1, 16)
    # read by a rule of the student's major (issue 10: a fact the engine uses can be entered): 6-2
    class_representative = _bool(_("Class representative (학년대표: 과대표, 부과대표)"))
    date = _date(_("End of term"))


class LabServiceForm(KindForm):
    kind = "lab_service"
    label = _("Lab service")
    group = "other"
    lab = forms.CharField(label=_("Laboratory"), max_length=200, required=False)
    months = forms.DecimalField(label=_("Months"), min_value=Decimal("0.5"), max_value=Decimal(120), decimal_places=1)
    date = _date(_("End date"))


class PatentForm(KindForm):
    kind = "patent"
    label = _("Patent")
    group = "other"
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("patent", _("Patent")), ("utility_model", _("Utility model")),
                 ("design", _("Design")), ("software", _("Software registration"))],
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("filed", _("Filed")), ("registered", _("Registered"))])
    number = forms.CharField(label=_("Application or registration number"), max_length=50, required=False)
    date = _date(_("Filing or registration date"))

    @classmethod
    def summary(cls, data):
        return data.get("title", "")


class EmploymentForm(KindForm):
    kind = "employment"
    label = _("Employment")
    group = "other"
    org_field = "employer"
    date_field = "start"
    employer = forms.CharField(label=_("Employer"), max_length=200)
    start = _date(_("Start date"))
    health_insurance = _bool(_("Covered by health insurance"))
    major_related = _bool(_("Related to my major"))

    @classmethod
    def summary(cls, data):
        return data.get("employer", "")


class StartupForm(KindForm):
    kind = "startup"
    label = _("Start-up")
    group = "other"
    company = forms.CharField(label=_("Company name"), max_length=200)
    business_registration_no = forms.CharField(label=_("Business registration number"), max_length=12)
    date = _date(_("Registration date"))

    def clean_business_registration_no(self):
        value = self.cleaned_data["business_registration_no"].strip()
        if not BUSINESS_NO.match(value):
            raise forms.ValidationError(_("Business registration number: use the form 123-45-67890."))
        digits = value.replace("-", "")
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"

    @classmethod
    def summary(cls, data):
        return data.get("company", "")


class ActivityForm(KindForm):
    kind = "activity"
    label = _("Department activity")
    group = "other"
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.CharField(
        label=_("Activity type"), max_length=50,
        help_text=_("e.g. capstone_entry, exhibition, seminar_presentation"),
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=[("entered", _("Entered")), ("awarded", _("Awarded")), ("passed", _("Passed"))]
    )
    count = _int(_("Count"), 1, 100, initial=1)
    presenters = _int(_("Presenters"), 1, 100, required=False)
    # read by a rule of the student's major: 4-1 (공공기관 기자단)
    public_agency = _bool(_("Run by a public body (공공기관)"))
    # read by rules of the student's major: 8-1 (동아리 팀장/팀원), 11-2 (졸업 논문 최우수/우수),
    # 4-2 (학생통신원 months, 해외 디자인캠프)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", "—"), ("leader", _("Leader")), ("member", _("Team member"))])
    prize = forms.ChoiceField(label=_("Prize"), required=False, choices=[("", "—")] + list(PRIZES))
    months = _int(_("Months"), 1, 120, required=False)
    overseas = _bool(_("Overseas"))
    date = _date(_("Date"))

    def clean_type(self):
        value = self.cleaned_data["type"].strip()
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise forms.ValidationError(_("Activity type: lower-case letters, digits and _ only (e.g. exhibition)."))
        return value

    @classmethod
    def summary(cls, data):
        return data.get("title", "")


# --- kinds that arrive from staff, campus systems or committees ------------------------------
class CourseForm(KindForm):
    kind = "course"
    label = _("Course")
    group = "record"
    requires_evidence = False
    student_may_create = False
    name = forms.CharField(label=_("Course name"), max_length=200)
    grade = forms.ChoiceField(label=_("Grade"), choices=[(g, g) for g in LETTER_GRADES])
    credit_bearing = _bool(_("For credit"))
    # read by rules of the student's major: 7-1, 7-2, 8-2 (외국어 교과목 수강, N학점 평점 B/C 이상)
    foreign_language = _bool(_("Foreign-language course (필수교양 5영역, beyond the credits required for graduation)"))
    credits = _int(_("Credits"), 1, 30, required=False)
    # read by 9-2 (종합설계 II: ChemTech Fair 작품 전시)
    chemtech_fair = _tristate(_("Shown at ChemTech Fair"))
    date = _date(_("Completion date"))

    @classmethod
    def summary(cls, data):
        return f"{data.get('name', '')} {data.get('grade', '')}"


class CharacterEducationForm(KindForm):
    kind = "character_education"
    label = _("Character education session (인성교육 및 상담)")
    group = "record"
    requires_evidence = False
    student_may_create = False
    date = _date(_("Session date"))


class CounselingForm(KindForm):
    kind = "counseling"
    label = _("Counseling")
    group = "record"
    requires_evidence = False
    student_may_create = False
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[("mentor", _("Mentor professor")), ("employment", _("Employment")), ("international", _("International"))],
    )
    date = _date(_("Date"))


class ManualForm(KindForm):
    kind = "manual"
    label = _("Committee points")
    group = "record"
    requires_evidence = False
    student_may_create = False
    area = forms.CharField(label=_("Area"), max_length=100)
    points = forms.DecimalField(label=_("Points"), min_value=Decimal(0), max_value=Decimal(1000), decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    date = _date(_("Date"))

    @classmethod
    def summary(cls, data):
        return f"{data.get('area', '')} +{data.get('points', '')}"


KIND_FORMS = {
    form.kind: form
    for form in [
        LanguageTestForm, CertificateForm, AwardForm, PaperForm, ProgramForm, VolunteerForm,
        InternshipForm, OverseasStudyForm, LeadershipForm, LabServiceForm, PatentForm,
        EmploymentForm, StartupForm, ActivityForm, CourseForm, CharacterEducationForm,
        CounselingForm, ManualForm,
    ]
}
KIND_CHOICES = [(k, f.label) for k, f in KIND_FORMS.items()]
STUDENT_KINDS = [k for k, f in KIND_FORMS.items() if f.student_may_create]

GROUPS = [
    ("language", _("Foreign languages")),
    ("certificate", _("Certificates")),
    ("award", _("Awards and contests")),
    ("paper", _("Papers")),
    ("program", _("Programs")),
    ("volunteer", _("Volunteering")),
    ("internship", _("Internships")),
    ("overseas", _("Overseas study")),
    ("other", _("Other careers")),
    ("record", _("Records from campus systems")),
]


def form_for(kind):
    try:
        return KIND_FORMS[kind]
    except KeyError:
        raise KeyError(kind) from None
