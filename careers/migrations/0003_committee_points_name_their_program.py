"""Committee points granted by the Hankyong certification committee (`source` "committee:<application>")
name their program (`data.program`), so the other programs show them as not scored (issue 10: DU-HEART
paid a Hankyong committee's points in its own `committee` area). Entries are edited in place: the
field is an addition the engine reads, the recorded decision is unchanged."""
from django.db import migrations


def name_the_program(apps, schema_editor):
    CareerEntry = apps.get_model("careers", "CareerEntry")
    for entry in CareerEntry.objects.filter(kind="manual", source__startswith="committee:").only("pk", "data"):
        if isinstance(entry.data, dict) and "program" not in entry.data:
            entry.data = {**entry.data, "program": "hankyong-grad-cert"}
            entry.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("careers", "0002_careerentry_original_seen_by_and_more")]
    operations = [migrations.RunPython(name_the_program, migrations.RunPython.noop)]
