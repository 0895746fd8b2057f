"""`manage.py evaluate --input FILE_OR_DIR [--output DIR]`: the evaluation contract from the shell.

One file: the result JSON on stdout (or OUTPUT/<name>.json). A folder: every *.json in it, in
name order; results go to OUTPUT/<same name> or, without --output, to stdout as one JSON array.
Exit 0 when every input was evaluated; 2 with a one-line error on stderr naming the field
(`entries[3].score: expected a number`) when an input is malformed or a rule file is invalid.
The rules are those in force in the portal (rule files published by administrators laid over
rules/); with no database to ask (a fresh checkout), the repository's rules/.
"""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from django.db import DatabaseError

from scoring.engine import EngineError, evaluate


class Command(BaseCommand):
    help = "Evaluate contract input documents (see docs/evaluate.md)."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="a JSON file, or a folder of *.json files")
        parser.add_argument("--output", help="a folder for the results (created if missing)")

    def handle(self, *args, input, output=None, **options):
        source = Path(input)
        if source.is_dir():
            files = sorted(source.glob("*.json"))
            if not files:
                self._fail(f"input: no *.json file in {source}")
        elif source.is_file():
            files = [source]
        else:
            self._fail(f"input: {source} does not exist")
        try:
            from scoring.rulesets import active_rules_dir

            rules_dir = active_rules_dir()
        except DatabaseError:  # not migrated, or no database: nothing can have been published
            rules_dir = None
        results = []
        for path in files:
            label = path.name if len(files) > 1 else ""
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                self._fail(f"{label + ': ' if label else ''}input: not UTF-8 text")
            except json.JSONDecodeError as error:
                self._fail(f"{label + ': ' if label else ''}input: not valid JSON (line {error.lineno}, column {error.colno})")
            if not isinstance(doc, dict):
                self._fail(f"{label + ': ' if label else ''}input: expected a JSON object")
            try:
                results.append((path, evaluate(doc, rules_dir=rules_dir)))
            except EngineError as error:
                self._fail(f"{label + ': ' if label else ''}{error}")
        if output:
            target = Path(output)
            target.mkdir(parents=True, exist_ok=True)
            for path, result in results:
                (target / path.name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        elif source.is_dir():
            self.stdout.write(json.dumps([r for _p, r in results], ensure_ascii=False, indent=2))
        else:
            self.stdout.write(json.dumps(results[0][1], ensure_ascii=False, indent=2))

    def _fail(self, message):
        sys.stderr.write(message.replace("\n", " ") + "\n")
        sys.exit(2)
