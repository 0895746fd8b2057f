"""Nightly file drops: `manage.py import_records --source SOURCE --file PATH [--commit] [--actor USERNAME]`.

A dry run unless --commit. Exit status: 0 checked (and, with --commit, imported); 2 the file has
errors, printed one per line on stderr, and nothing was imported; 1 the command could not run
(unknown source, actor or file; an actor who may not import). The actor defaults to the
IMPORTS_ACTOR environment variable: a central-office staff account the office owns.
"""
import os

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from imports import services
from imports.sources import SOURCES

EXIT_FILE_ERRORS = 2


class Command(BaseCommand):
    help = "Import a CSV or Excel file from a campus system (a dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="One of: " + ", ".join(SOURCES))
        parser.add_argument("--file", required=True, dest="path", help="The CSV or .xlsx file")
        parser.add_argument("--commit", action="store_true", help="Import; without it nothing is written")
        parser.add_argument("--actor", default=os.environ.get("IMPORTS_ACTOR", ""),
                            help="Username the import is recorded under (default: $IMPORTS_ACTOR)")

    def handle(self, *args, source, path, commit, actor, **options):
        if source not in SOURCES:
            raise CommandError(f"Unknown source {source!r}; use one of: {', '.join(SOURCES)}")
        if not actor:
            raise CommandError("Name the acting user with --actor USERNAME (or set IMPORTS_ACTOR).")
        try:
            user = get_user_model().objects.get(username=actor)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {actor!r}.") from None
        try:
            handle = open(path, "rb")
        except OSError as error:
            raise CommandError(f"Cannot open {path}: {error.strerror}") from None
        with handle:
            try:
                result = services.run_import(actor=user, source=source, uploaded_file=File(handle, name=path),
                                             dry_run=not commit)
            except services.ImportRejected as rejected:
                result = rejected.result
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        batch = result.batch
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s) in {batch.file_name}; nothing was imported.",
                               returncode=EXIT_FILE_ERRORS)
        counts = (f"rows {batch.row_count}, created {batch.created_count}, "
                  f"skipped (already imported) {batch.skipped_count}, GPA updates {batch.updated_count}")
        if commit:
            self.stdout.write(f"Imported batch #{batch.pk} ({source}, {batch.file_name}): {counts}.")
        else:
            self.stdout.write(f"Dry run ({source}, {batch.file_name}): {counts}. Nothing was written; "
                              "add --commit to import.")
