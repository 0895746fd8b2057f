from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Scoring"

    def ready(self):
        from careers.signals import records_changed

        from . import tasks  # noqa: F401  (the batch tasks register with the worker through scoring.tasks)

        def recompute(sender, student_id, **kwargs):
            tasks.recompute_student_results.delay(student_id)

        records_changed.connect(recompute, dispatch_uid="scoring.recompute_on_records_changed", weak=False)

        from careers import extensions

        from . import selectors

        extensions.register("results_for", selectors.results_for)
        extensions.register("stale_summary", selectors.stale_summary)
