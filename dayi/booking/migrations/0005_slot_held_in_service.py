"""A slot stays held while the user is at the instrument: the exclusion constraint of 0002 now
covers in-service orders too (the same list as models.ACTIVE_STATES)."""

from django.db import migrations

CONSTRAINT = "order_no_overlapping_slots"


def constraint(states):
    listed = ", ".join(f"'{state}'" for state in states)
    return f"""
ALTER TABLE booking_order DROP CONSTRAINT IF EXISTS {CONSTRAINT};
ALTER TABLE booking_order ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (instrument_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (mode = 'machine_time' AND status IN ({listed}));
"""


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(constraint(["submitted", "accepted", "scheduled", "in_service"]))


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(constraint(["submitted", "accepted", "scheduled"]))


class Migration(migrations.Migration):
    dependencies = [("booking", "0004_flow_fees_documents_schedule")]

    operations = [migrations.RunPython(widen, narrow)]
