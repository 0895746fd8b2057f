"""Page forms that are not a kind's form (those are in careers.kinds)."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import JOB_FIELDS


class SelfIntroductionForm(forms.Form):
    job_fields = forms.MultipleChoiceField(
        label=_("Desired job fields"), choices=JOB_FIELDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    desired_companies = forms.CharField(label=_("Desired companies"), max_length=300, required=False)
    desired_jobs = forms.CharField(label=_("Desired jobs (free text)"), max_length=300, required=False)
    text = forms.CharField(label=_("Self-introduction"), widget=forms.Textarea(attrs={"rows": 12}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The minimum is said before the first save, with a live count (static/js/portal.js).
        self.fields["text"].help_text = _("At least %(min)d characters (spaces at both ends are not counted).") % {
            "min": settings.SELF_INTRO_MIN_CHARS}

    @property
    def text_min(self):
        return settings.SELF_INTRO_MIN_CHARS

    @property
    def text_length(self):
        """Characters counted the way clean() counts them, for the counter under the box."""
        return len(str(self["text"].value() or "").strip())

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("job_fields") or cleaned.get("desired_companies", "").strip()
                or cleaned.get("desired_jobs", "").strip()):
            self.add_error("job_fields", _("Employment wishes: choose at least one field or write a company or job."))
        text = cleaned.get("text", "")
        if text and len(text.strip()) < settings.SELF_INTRO_MIN_CHARS:
            self.add_error(
                "text",
                _("Self-introduction: write at least %(min)d characters (now %(now)d).")
                % {"min": settings.SELF_INTRO_MIN_CHARS, "now": len(text.strip())},
            )
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, JPEG, PNG or HWP/HWPX, up to 10 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.hwp,.hwpx"}),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
