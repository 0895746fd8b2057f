"""A student created without a mentor gets one by rule (seed 000: "멘토교수 ... 자동배정됨")."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from careers.models import StudentProfile


@receiver(post_save, sender=StudentProfile, dispatch_uid="advising.assign_mentor_on_create")
def assign_mentor_on_create(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.mentor_id is None:
        from .services import assign_mentor

        mentor = assign_mentor(student=instance)
        if mentor is not None:  # the caller's instance shows it too
            instance.mentor = mentor
