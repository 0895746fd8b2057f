from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "scholarships"
    verbose_name = "Scholarships"
