"""Store what the sensors publish on MQTT (topic <root>/sensors/<code>/readings, QoS 1).

The ingesters are members of one shared subscription ($share/<group>/…, docs/monitoring.md,
"Ways in"): `--processes N` runs members <client-id>-1 … <client-id>-N, each a process of its
own (one Python process tops out near one core), and starts again any that dies. Running the
command on several machines with other member numbers (`--first`) adds members the same way.
"""

import multiprocessing
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from dayi.monitoring import conf
from dayi.monitoring.mqtt import Consumer, tune_gc, watch_parent

RESTART_PAUSE_S = 2.0


class Command(BaseCommand):
    help = "Consume sensor readings from the MQTT broker with persistent sessions; stop with Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None)
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument("--client-id", default="dayi-ingest", help="Members are <client-id>-<n>, fixed.")
        parser.add_argument("--group", default="dayi-ingest", help="Shared subscription group.")
        parser.add_argument("--processes", type=int, default=1, help="Members run by this command.")
        parser.add_argument("--first", type=int, default=1, help="Number of the first member run here.")
        parser.add_argument("--root", default=None, help=f"Topic root (default {conf.mqtt_topic_root()}).")
        parser.add_argument("--batch-size", type=int, default=500, help="Most messages per transaction.")
        parser.add_argument("--batch-wait", type=float, default=0.2, help="Seconds to gather a batch.")
        parser.add_argument("--idle-exit", type=float, default=None, help="Stop after so many quiet seconds.")
        parser.add_argument(
            "--retire",
            action="store_true",
            help="Take the members out of the group for good: unsubscribe, store what their sessions hold, end them.",
        )

    def handle(self, *args, **options):
        if options["processes"] < 1 or options["first"] < 1:
            raise CommandError("--processes and --first must be at least 1")
        members = [
            f"{options['client_id']}-{n}" for n in range(options["first"], options["first"] + options["processes"])
        ]
        if options["retire"]:
            for member in members:
                self.stdout.write(_summary(member, _consumer(member, options).retire()))
            return
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        if len(members) == 1:
            tune_gc()
            totals = _consumer(members[0], options).run(stop=stop, idle_exit=options["idle_exit"])
            self.stdout.write(_summary(members[0], totals))
            return
        self._supervise(members, options, stop)

    def _supervise(self, members, options, stop):
        # Forked members must not share the parent's database connection.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        running = {member: _start(context, member, options) for member in members}
        while not stop.wait(0.5):
            for member, process in list(running.items()):
                if process.is_alive():
                    continue
                if options["idle_exit"] is not None and process.exitcode == 0:
                    del running[member]
                    continue
                self.stderr.write(f"{member} ended with code {process.exitcode}; starting it again")
                time.sleep(RESTART_PAUSE_S)
                running[member] = _start(context, member, options)
            if not running:
                return
        for process in running.values():
            process.terminate()
        for process in running.values():
            process.join()


def _summary(member, totals) -> str:
    return (
        f"{member}: {totals.messages} messages: {totals.stored} readings stored, "
        f"{totals.duplicates} duplicates, {totals.rejected} rejected"
    )


def _consumer(member, options):
    return Consumer(
        client_id=member,
        group=options["group"],
        host=options["host"],
        port=options["port"],
        root=options["root"],
        batch_size=options["batch_size"],
        batch_wait=options["batch_wait"],
    )


def _start(context, member, options):
    process = context.Process(target=_member, args=(member, options), name=member)
    process.start()
    return process


def _member(member, options):
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    watch_parent(stop)
    tune_gc()
    totals = _consumer(member, options).run(stop=stop, idle_exit=options["idle_exit"])
    print(_summary(member, totals), flush=True)
