"""Deliveries are written three times each while an edition goes out
(pending, sending, sent): fewer indexes to update, and room in each page
for PostgreSQL to update a row in place (a HOT update: no index entries),
so each commit has less log to flush. See Delivery."""

import django.db.models.deletion
from django.db import migrations, models

FILLFACTOR = 70  # percent of each page filled by inserts; the rest for updates


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE newsletter_delivery SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE newsletter_delivery RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0005_sendbatch_failed"),
    ]

    operations = [
        # The unique (edition, subscriber) index serves lookups by edition.
        migrations.AlterField(
            model_name="delivery",
            name="edition",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="newsletter.edition",
            ),
        ),
        # Status is read per edition (through that index), and changes with
        # every step of sending.
        migrations.AlterField(
            model_name="delivery",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
