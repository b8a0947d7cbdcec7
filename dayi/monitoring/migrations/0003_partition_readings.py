"""Readings partitioned by month on PostgreSQL (declarative partitioning); SQLite keeps its
plain table. The rows already stored move into the new monthly partitions."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from dayi.monitoring import partitions

TABLE = partitions.TABLE


def _rebuild(cursor, schema_editor, *, partitioned: bool):
    """Copy the readings into a new table (partitioned or plain), then give it the name, key,
    index and foreign keys of the old one."""
    new = f"{TABLE}_{'partitioned' if partitioned else 'plain'}"
    clause = " PARTITION BY RANGE (ts)" if partitioned else ""
    cursor.execute(f"CREATE TABLE {new} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS){clause}")
    if partitioned:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', ts AT TIME ZONE %s)::date FROM {TABLE}",  # noqa: S608
            [settings.TIME_ZONE],
        )
        months = {month for (month,) in cursor.fetchall()}
        partitions.create_partitions(months | set(_months_ahead()), table=new)
    cursor.execute(f"INSERT INTO {new} SELECT * FROM {TABLE}")  # noqa: S608
    cursor.execute(f"DROP TABLE {TABLE}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {TABLE}")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (sensor_id, ts)")
    cursor.execute(f"CREATE INDEX reading_instrument_ts ON {TABLE} (instrument_id, ts)")
    for column, target in (("sensor_id", "monitoring_sensor"), ("instrument_id", "catalog_instrument")):
        cursor.execute(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_{column}_fk FOREIGN KEY ({column}) "
            f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
        )


def _months_ahead():
    month = timezone.localdate().replace(day=1)
    months = [month]
    for _ in range(2):
        months.append(partitions.next_month(months[-1]))
    return months


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        _rebuild(cursor, schema_editor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        _rebuild(cursor, schema_editor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_reference_data"),
        ("monitoring", "0002_idle_rules"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reading",
            name="instrument",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.instrument",
            ),
        ),
        migrations.AlterField(
            model_name="reading",
            name="sensor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="monitoring.sensor",
            ),
        ),
        migrations.RunPython(partition, unpartition, elidable=False),
    ]
