from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from mileage_portal import checks  # noqa: F401  (registers the deployment checks)
        from mileage_portal.security import record_failed_login

        user_login_failed.connect(record_failed_login, dispatch_uid="mileage_portal.record_failed_login")
