from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from mileage_portal import checks  # noqa: F401  (registers the deployment checks)
