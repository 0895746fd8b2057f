"""Import jobs: big files are checked and imported outside the request (imports.services.job_run)."""
from celery import shared_task


@shared_task(name="imports.tasks.run_import_job")
def run_import_job(job_id):
    from .services import job_run

    job_run(job_id)
