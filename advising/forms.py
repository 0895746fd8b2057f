from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CounselingType


class SessionForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=CounselingType.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes (counselors only)"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("Never shown to the student."))
    next_steps = forms.CharField(label=_("Agreed next steps"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("The student sees these on their page."))

    def __init__(self, *args, types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if types is not None:
            self.fields["type"].choices = [(v, label) for v, label in CounselingType.choices if v in types]
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor professor"), queryset=None, required=False,
                                    empty_label=_("(no mentor)"))
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = choices


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
