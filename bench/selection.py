"""Benchmark: the December Rainbow selection over N students (target ≤ 5 s for 20,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mileage_bench python bench/selection.py --students 20000

Uses bench/recompute.py's population (created if missing) with synthetic career-mileage results;
times scholarships.services.selection_run (rank, quotas, freeze every candidate as a snapshot).
"""
import argparse
import random
import sys
import time

from recompute import ensure_population, setup_django


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=20000)
    args = ap.parse_args(argv)
    setup_django()
    from django.db import transaction

    from careers.models import StudentProfile
    from scholarships import services
    from scholarships.models import SelectionSnapshot
    from scoring.models import StoredResult

    inst = ensure_population(args.students, entries=0)
    students = StudentProfile.objects.filter(major__department__campus__institution=inst)
    missing = students.exclude(results__program="career-mileage").values_list("pk", flat=True)
    rng = random.Random(5)
    StoredResult.objects.bulk_create([
        StoredResult(student_id=pk, program="career-mileage", ruleset="career-mileage", ruleset_version="bench",
                     total=rng.randint(0, 1000), result={"items": []}, input_digest="bench") for pk in missing],
        batch_size=5000)
    year = 2999
    with transaction.atomic():
        SelectionSnapshot.objects.filter(institution=inst, year=year).delete()
    t = time.perf_counter()
    snapshot = services.selection_run(actor=None, institution=inst, year=year)
    elapsed = time.perf_counter() - t
    print(f"December selection over {students.count()} students: {elapsed:.2f} s   target ≤ 5 s "
          f"({snapshot.rows.count()} ranked, {snapshot.rows.filter(selected=True).count()} selected)")
    with transaction.atomic():
        SelectionSnapshot.objects.filter(pk=snapshot.pk).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
