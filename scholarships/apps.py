from django.apps import AppConfig


class ScholarshipsConfig(AppConfig):
    name = "scholarships"
    verbose_name = "Scholarships"

    def ready(self):
        # scoring does not import scholarships: it asks for redemptions and announces stored results
        from scoring import signals

        from . import selectors, services

        signals.register_redemptions(selectors.confirmed_redemptions_for)

        def append_ledger(sender, du_heart, **kwargs):
            services.sync_ledgers(results=du_heart)

        signals.results_stored.connect(append_ledger, dispatch_uid="scholarships.ledger_on_results_stored", weak=False)
