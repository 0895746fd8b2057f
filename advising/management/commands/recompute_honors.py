"""Recompute the honors club (아너스클럽) of every institution with a rule (also runs in December)."""
from django.core.management.base import BaseCommand

from accounts.models import Institution
from advising.services import honors_recompute


class Command(BaseCommand):
    help = "Recompute honors-club membership from career-mileage standing per year level."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Membership year (default: this year).")

    def handle(self, *args, year=None, **options):
        for inst in Institution.objects.filter(honors_rule__isnull=False):
            rows = honors_recompute(institution=inst, year=year)
            self.stdout.write(f"{inst.code}: {len(rows)} members")
