from django import forms

from .models import Program


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["title", "category", "hours", "certified", "starts_on", "ends_on", "capacity"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}), "ends_on": forms.DateInput(attrs={"type": "date"})}
