"""Store what the sensors publish on MQTT (topic <root>/sensors/<code>/readings, QoS 1)."""

import signal
import threading

from django.core.management.base import BaseCommand

from dayi.monitoring import conf
from dayi.monitoring.mqtt import Consumer


class Command(BaseCommand):
    help = "Consume sensor readings from the MQTT broker with a persistent session; stop with Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--client-id", default="dayi-ingest", help="Fixed: the broker keeps its session.")
        parser.add_argument("--root", default=None, help=f"Topic root (default {conf.mqtt_topic_root()}).")
        parser.add_argument("--batch-size", type=int, default=500, help="Most messages per transaction.")
        parser.add_argument("--batch-wait", type=float, default=0.2, help="Seconds to gather a batch.")
        parser.add_argument("--idle-exit", type=float, default=None, help="Stop after so many quiet seconds.")

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        consumer = Consumer(
            client_id=options["client_id"],
            host=options["host"],
            port=options["port"],
            root=options["root"],
            batch_size=options["batch_size"],
            batch_wait=options["batch_wait"],
        )
        totals = consumer.run(stop=stop, idle_exit=options["idle_exit"])
        self.stdout.write(
            f"{totals.messages} messages: {totals.stored} readings stored, "
            f"{totals.duplicates} duplicates, {totals.rejected} rejected"
        )
