from django.db import migrations, models

import pagecache.watch


def epoch(apps, schema_editor):
    """A random first counter: keys made from a truncated and refilled database never meet old pages."""
    import secrets

    apps.get_model("pagecache", "Version").objects.update_or_create(key="epoch", defaults={"n": secrets.randbits(62)})


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("accounts", "0002_hankyong_majors"),
        ("careers", "0004_queue_order_index"),
        ("scoring", "0005_nightly_schedule"),
        ("certification", "0001_initial"),
        ("advising", "0001_counseling_mentors_honors_groups"),
        ("audit", "0003_event_data_entry_index"),
    ]
    operations = [
        migrations.CreateModel(
            name="Version",
            fields=[
                ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "pagecache_version"},
        ),
        migrations.RunPython(epoch, migrations.RunPython.noop),
        migrations.RunPython(pagecache.watch.install, pagecache.watch.uninstall),
    ]
