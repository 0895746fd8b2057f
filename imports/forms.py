from django import forms
from django.utils.translation import gettext_lazy as _

from .sources import SOURCE_CHOICES


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=SOURCE_CHOICES)
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))


class CommitForm(forms.Form):
    """Commits the file shown in the preview, kept on the server under its SHA-256 (see views)."""

    source = forms.ChoiceField(choices=SOURCE_CHOICES, widget=forms.HiddenInput)
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
