"""Feed the demo city's simulated sensors: in process (no broker) or through the MQTT broker."""

import json
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dayi.monitoring import simulator
from dayi.monitoring.ingest import Envelope, ingest
from dayi.monitoring.message import encode_batch
from dayi.monitoring.models import RejectedMessage


class Command(BaseCommand):
    help = "Simulate the sensors of the instruments in the network (creating SIM- sensors where none is bound)."

    def add_arguments(self, parser):
        parser.add_argument("--via", choices=["process", "mqtt"], default="process")
        parser.add_argument("--sensors", type=int, default=None, help="At most this many sensors.")
        parser.add_argument("--backfill-hours", type=float, default=0, help="First fill this many past hours.")
        parser.add_argument("--follow", action="store_true", help="Then go on in real time.")
        parser.add_argument("--duration", type=float, default=None, help="With --follow: stop after so many seconds.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--per-message", type=int, default=60, help="Readings per message.")
        parser.add_argument("--window", type=int, default=1000, help="MQTT: most unacknowledged messages.")
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args, **options):
        if options["backfill_hours"] > simulator.MAX_BACKFILL_DAYS * 24:
            raise CommandError(f"--backfill-hours is at most {simulator.MAX_BACKFILL_DAYS * 24}")
        sensors = simulator.ensure_demo_sensors(options["sensors"])
        if not sensors:
            raise CommandError("No instrument in the network to simulate: run demo_city first.")
        self.options = options
        self.sensors = sensors
        self.sink = self._mqtt_sink() if options["via"] == "mqtt" else self._process_sink()
        now = timezone.now()
        sent = 0
        try:
            if options["backfill_hours"]:
                sent += self._emit(now - timedelta(hours=options["backfill_hours"]), now)
            if options["follow"]:
                sent += self._follow(now)
        finally:
            self.sink.close()
        self.stdout.write(f"{len(sensors)} sensors, {sent} readings sent via {options['via']}")

    def _follow(self, since):
        interval = min(sensor.sampling_interval_s for sensor in self.sensors)
        stop_at = None if self.options["duration"] is None else time.monotonic() + self.options["duration"]
        sent = 0
        while stop_at is None or time.monotonic() < stop_at:
            time.sleep(max(0.0, interval - (time.time() % interval)) + 0.05)
            now = timezone.now()
            sent += self._emit(since, now)
            since = now
        return sent

    def _emit(self, start, end) -> int:
        count = 0
        for sensor in self.sensors:
            readings = [simulator.reading(self.options["seed"], sensor, t) for t in simulator.ticks(sensor, start, end)]
            size = self.options["per_message"]
            for first in range(0, len(readings), size):
                self.sink.send(sensor.code, encode_batch(sensor.code, readings[first : first + size]))
            count += len(readings)
        self.sink.flush()
        return count

    def _process_sink(self):
        return _ProcessSink()

    def _mqtt_sink(self):
        from dayi.monitoring.mqtt import Publisher, readings_topic

        publisher = Publisher(host=self.options["host"], port=self.options["port"], window=self.options["window"])

        class MqttSink:
            def send(self, code, message):
                publisher.publish(readings_topic(code), json.dumps(message).encode())

            def flush(self):
                pass

            def close(self):
                publisher.close()

        return MqttSink()


class _ProcessSink:
    """Straight into ingestion, a few hundred messages per transaction."""

    BATCH = 200

    def __init__(self):
        self.messages = []

    def send(self, code, message):
        self.messages.append(Envelope(payload=message, source=RejectedMessage.Source.SIMULATOR))
        if len(self.messages) >= self.BATCH:
            self.flush()

    def flush(self):
        if self.messages:
            ingest(self.messages)
            self.messages = []

    def close(self):
        self.flush()
