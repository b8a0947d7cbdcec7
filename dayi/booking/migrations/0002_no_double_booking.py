"""On PostgreSQL the database itself refuses two active machine-time orders that overlap on one
instrument, whatever code path writes them. SQLite has no range types or exclusion constraints;
there book_slot serializes the check and the insert in one IMMEDIATE transaction instead."""

from django.db import migrations

CONSTRAINT = "order_no_overlapping_slots"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_order ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (instrument_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (mode = 'machine_time' AND status IN ('submitted', 'accepted', 'scheduled'));
"""
DROP = f"ALTER TABLE booking_order DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
