"""What a drug's page tells readers: fields editors fill from the label or
MedlinePlus (nothing generated)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0010_link_checks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="drug",
            name="description",
            field=models.TextField(
                blank=True, help_text="What the drug is, in one or two plain sentences."
            ),
        ),
        migrations.AddField(
            model_name="drug",
            name="usual_use",
            field=models.TextField(
                blank=True,
                help_text="For example “Taken by mouth, once or twice a day”. Plain sentences.",
                verbose_name="How it is usually used",
            ),
        ),
        migrations.AddField(
            model_name="drug",
            name="side_effects",
            field=models.TextField(
                blank=True,
                help_text="Common side effects, one per line.",
                verbose_name="Side effects to tell a doctor about",
            ),
        ),
        migrations.AddField(
            model_name="drug",
            name="label_url",
            field=models.URLField(
                blank=True,
                help_text="The drug's official label, for example its DailyMed page.",
                max_length=500,
                verbose_name="Official label",
            ),
        ),
        migrations.AddField(
            model_name="drug",
            name="medlineplus_url",
            field=models.URLField(
                blank=True,
                help_text="The drug's page on medlineplus.gov.",
                max_length=500,
                verbose_name="MedlinePlus page",
            ),
        ),
    ]
