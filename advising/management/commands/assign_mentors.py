"""Give every enrolled student without a mentor professor one by rule (also runs in December)."""
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Institution
from advising.services import assign_unassigned


class Command(BaseCommand):
    help = "Assign mentor professors to unassigned students: same major (else department), year level, fewest mentees."

    def add_arguments(self, parser):
        parser.add_argument("--institution", help="Only this institution (its code).")

    def handle(self, *args, institution=None, **options):
        inst = None
        if institution:
            inst = Institution.objects.filter(code=institution).first()
            if inst is None:
                raise CommandError(f"--institution: no institution with code '{institution}'.")
        assigned, left = assign_unassigned(institution=inst)
        self.stdout.write(f"{assigned} students got a mentor; {left} left without one (no fitting advisor).")
