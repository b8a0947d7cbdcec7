"""Sensor readings into PostgreSQL: through the real Mosquitto broker and through HTTPS.

A standalone script, not a test (see benchmarks/README.md). It:
1. creates a fresh PostgreSQL database, migrates it, builds the demo city with `--sensors`
   instruments (`demo_city --scale`) and binds a simulated sensor to each, all served by one
   gateway (for the HTTPS part);
2. starts a private Mosquitto with the settings of deploy/mosquitto/dayi.conf (unlimited
   queue for the persistent ingester session) on its own port, and `manage.py ingest_mqtt`
   as a separate process, as production runs it;
3. **paced run**: publishes simulator readings (`--per-message` readings of one sensor a
   message, QoS 1) at `--rate` readings/s for `--seconds`, while a probe sensor publishes one
   reading every 100 ms and a poller records when each probe reading is stored: the p50/p99
   publish→stored lag under that load;
4. **saturating run with a crash**: publishes `--burst` readings as fast as the broker takes
   them, kills the ingester with SIGKILL when 40 % are stored and restarts it 2 s later; then
   counts: every reading published stored exactly once (none lost, none doubled: the key
   (sensor, ts) makes a double impossible, and the count shows none is missing), and the
   sustained stored readings/s over the run, restart included;
5. **HTTPS**: gunicorn with TLS (a throw-away self-signed certificate), `--https-workers`
   workers; `--https-clients` client threads post batches of `--https-batch` messages with the
   gateway's key; readings/s, request latency p50/p99 (the request returns once stored);
6. prints the figures and writes benchmarks/results/monitoring_ingest.json.

The readings are those of the simulator (`dayi.monitoring.simulator.reading`), so the
sessions and hours they produce are believable ones: derivation runs in every batch.
"""

import argparse
import http.client
import json
import os
import platform
import re
import signal
import ssl
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from monitoring_rig import (
    DEFAULT_URL,
    ENV,
    MQTT_PORT,
    PYTHON,
    bind_sensors,
    build,
    cpu_seconds,
    open_sessions,
    percentile,
    setup_django,
    start_broker,
    start_ingester,
    stored_count,
    tree_cpu_seconds,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "monitoring_ingest.json"
HTTPS_PORT = 18443


def payloads(sensors, start, per_message, messages_per_sensor):
    """Messages round-robin over the sensors: message j of every sensor, then j + 1 …"""
    from dayi.monitoring.simulator import reading

    for j in range(messages_per_sensor):
        for sensor in sensors:
            first = start + timedelta(minutes=j * per_message)
            items = []
            for k in range(per_message):
                r = reading(7, sensor, first + timedelta(minutes=k))
                items.append({"ts": r.ts.isoformat(), "seq": r.seq, "current_ma": r.current_ma, "power_w": r.power_w})
            yield sensor.code, json.dumps({"v": 1, "sensor": sensor.code, "readings": items}).encode()


# MQTT runs ---------------------------------------------------------------------------------


class Probe:
    """One reading every 100 ms from its own sensor; a poller notes when each is stored."""

    def __init__(self, sensor, start):
        self.sensor, self.start = sensor, start
        self.published = {}
        self.lags = []
        self.stop = threading.Event()

    def run_publisher(self):
        from dayi.monitoring.mqtt import Publisher, readings_topic

        publisher = Publisher(port=MQTT_PORT, window=100)
        i = 0
        while not self.stop.is_set():
            ts = self.start + timedelta(seconds=i)
            body = {"v": 1, "sensor": self.sensor.code, "ts": ts.isoformat(), "seq": i, "power_w": 1.0}
            self.published[ts] = time.monotonic()
            publisher.publish(readings_topic(self.sensor.code), json.dumps(body).encode())
            i += 1
            time.sleep(0.1)
        publisher.close()

    def run_poller(self):
        from django.db import connection

        seen = None
        with connection.cursor() as cursor:
            while not self.stop.is_set() or len(self.lags) < len(self.published):
                cursor.execute(
                    "SELECT ts FROM monitoring_reading WHERE sensor_id = %s AND ts > %s ORDER BY ts",
                    [self.sensor.pk, seen or self.start - timedelta(seconds=1)],
                )
                now = time.monotonic()
                for (ts,) in cursor.fetchall():
                    if ts in self.published:
                        self.lags.append(now - self.published[ts])
                    seen = ts
                if self.stop.is_set() and now - max(self.published.values(), default=now) > 30:
                    break
                time.sleep(0.01)
        connection.close()


def paced_run(url, sensors, probe_sensor, start, *, rate, seconds, per_message, processes, log):
    from dayi.monitoring.mqtt import Publisher, readings_topic

    per_sensor = max(1, int(rate * seconds / per_message / len(sensors)))
    total = per_sensor * per_message * len(sensors)
    ids = [sensor.pk for sensor in sensors]
    end = start + timedelta(minutes=per_sensor * per_message)
    ingester = start_ingester(url, log, processes)
    time.sleep(3)
    probe = Probe(probe_sensor, start)
    threads = [threading.Thread(target=probe.run_publisher), threading.Thread(target=probe.run_poller)]
    for thread in threads:
        thread.start()
    # Built before the clock starts: the simulator's believable watts cost more CPU than storing them.
    messages = list(payloads(sensors, start, per_message, per_sensor))
    publisher = Publisher(port=MQTT_PORT, window=1000)
    began = time.monotonic()
    for n, (code, body) in enumerate(messages, 1):
        publisher.publish(readings_topic(code), body)
        ahead = began + n * per_message / rate - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
    publisher.close()
    published_in = time.monotonic() - began
    while stored_count(ids, start, end) < total:
        time.sleep(0.2)
    done_in = time.monotonic() - began
    probe.stop.set()
    for thread in threads:
        thread.join()
    cpu = tree_cpu_seconds(ingester.pid)
    ingester.send_signal(signal.SIGTERM)
    ingester.wait(30)
    return {
        "readings": total,
        "ingesters": processes,
        "load": os.getloadavg(),
        "ingester_cpu_s": round(cpu, 1),
        "readings_per_ingester_cpu_s": round(total / cpu),
        "target_rate": rate,
        "published_per_s": round(total / published_in),
        "stored_per_s": round(total / done_in),
        "probe_readings": len(probe.lags),
        "lag_p50_ms": round(1000 * percentile(probe.lags, 0.5)),
        "lag_p99_ms": round(1000 * percentile(probe.lags, 0.99)),
        "lag_max_ms": round(1000 * max(probe.lags)),
    }


def crash_run(url, sensors, start, *, burst, per_message, processes, log):
    from dayi.monitoring.mqtt import Publisher, readings_topic

    per_sensor = max(1, burst // per_message // len(sensors))
    total = per_sensor * per_message * len(sensors)
    ids, end = [sensor.pk for sensor in sensors], start + timedelta(minutes=per_sensor * per_message)
    ingester = start_ingester(url, log, processes)
    time.sleep(3)
    crash = {}

    def crasher():
        nonlocal ingester
        while stored_count(ids, start, end) < 0.4 * total:
            time.sleep(0.1)
        crash["cpu_before_kill"] = tree_cpu_seconds(ingester.pid)
        os.killpg(ingester.pid, signal.SIGKILL)
        ingester.wait()
        crash["stored_at_kill"] = stored_count(ids, start, end)
        time.sleep(2)
        ingester = start_ingester(url, log, processes)

    thread = threading.Thread(target=crasher)
    messages = list(payloads(sensors, start, per_message, per_sensor))
    publisher = Publisher(port=MQTT_PORT, window=1000)
    began = time.monotonic()
    thread.start()
    for code, body in messages:
        publisher.publish(readings_topic(code), body)
    publisher.close()
    published_in = time.monotonic() - began
    thread.join()
    deadline = time.monotonic() + 600
    while stored_count(ids, start, end) < total and time.monotonic() < deadline:
        time.sleep(0.2)
    done_in = time.monotonic() - began
    time.sleep(3)  # let redeliveries, if any, arrive and be skipped
    stored = stored_count(ids, start, end)
    cpu = crash.get("cpu_before_kill", 0) + tree_cpu_seconds(ingester.pid)
    ingester.send_signal(signal.SIGTERM)
    ingester.wait(30)
    from dayi.monitoring.models import RejectedMessage

    log.seek(0)
    # The restarted members' own counts: readings delivered again after the crash and skipped.
    reports = re.findall(r"(\d+) messages: (\d+) readings stored, (\d+) duplicates", log.read())
    log.seek(0, 2)
    return {
        "ingesters": processes,
        "load": os.getloadavg(),
        "redelivered_duplicates_skipped": sum(int(r[2]) for r in reports[-processes:]) if reports else None,
        "readings_published": total,
        "readings_stored": stored,
        "lost": total - stored if stored <= total else 0,
        "doubled": stored - total if stored > total else 0,
        "rejected": RejectedMessage.objects.count(),
        "stored_at_kill": crash.get("stored_at_kill"),
        "published_per_s": round(total / published_in),
        "stored_per_s_with_restart": round(total / done_in),
        "ingester_cpu_s": round(cpu, 1),
        "readings_per_ingester_cpu_s": round(total / cpu),
    }


# HTTPS -------------------------------------------------------------------------------------


def https_run(url, sensors, start, key, workdir, *, readings, batch, per_message, workers, clients, log):
    cert, private = Path(workdir) / "cert.pem", Path(workdir) / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
         "-keyout", str(private), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    environment = {**os.environ, **ENV, "DATABASE_URL": url}
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "dayi.wsgi", "-b", f"127.0.0.1:{HTTPS_PORT}", "-w", str(workers),
         "--certfile", str(cert), "--keyfile", str(private), "--timeout", "120"],
        cwd=ROOT, env=environment, stdout=log, stderr=log,
    )  # fmt: skip
    time.sleep(4)
    per_sensor = max(1, readings // per_message // len(sensors))
    bodies = []
    chunk = []
    for _code, body in payloads(sensors, start, per_message, per_sensor):
        chunk.append(body)
        if len(chunk) == batch:
            bodies.append(b'{"messages": [' + b", ".join(chunk) + b"]}")
            chunk = []
    if chunk:
        bodies.append(b'{"messages": [' + b", ".join(chunk) + b"]}")
    total = per_sensor * per_message * len(sensors)
    latencies, outcomes, lock = [], [], threading.Lock()
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    def client(mine):
        connection = http.client.HTTPSConnection("127.0.0.1", HTTPS_PORT, context=context, timeout=120)
        for body in mine:
            sent = time.monotonic()
            connection.request(
                "POST",
                "/api/v1/monitoring/readings/",
                body=body,
                headers={"Content-Type": "application/json", "Authorization": key},
            )
            response = connection.getresponse()
            answer = json.loads(response.read())
            with lock:
                latencies.append(time.monotonic() - sent)
                outcomes.append((response.status, answer.get("stored", 0), answer.get("rejected", 0)))
        connection.close()

    threads = [threading.Thread(target=client, args=(bodies[i::clients],)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    cpu = sum(cpu_seconds(int(pid)) for pid in children)
    server.send_signal(signal.SIGTERM)
    server.wait(30)
    return {
        "readings": total,
        "requests": len(bodies),
        "messages_per_request": batch,
        "statuses": sorted({status for status, _, _ in outcomes}),
        "stored": sum(stored for _, stored, _ in outcomes),
        "rejected": sum(rejected for _, _, rejected in outcomes),
        "stored_per_s": round(total / elapsed),
        "server_workers_cpu_s": round(cpu, 1),
        "readings_per_worker_cpu_s": round(total / cpu),
        "request_p50_ms": round(1000 * percentile(latencies, 0.5)),
        "request_p99_ms": round(1000 * percentile(latencies, 0.99)),
        "server_workers": workers,
        "clients": clients,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sensors", type=int, default=2000)
    parser.add_argument("--per-message", type=int, default=50, help="readings of one sensor per message")
    parser.add_argument("--processes", type=int, default=2, help="ingester members (ingest_mqtt --processes)")
    parser.add_argument("--skip", action="append", default=[], choices=["paced", "crash", "https"])
    parser.add_argument("--rate", type=int, default=20000, help="paced run: readings/s published")
    parser.add_argument("--seconds", type=int, default=30, help="paced run: length")
    parser.add_argument("--burst", type=int, default=1_000_000, help="crash run: readings published")
    parser.add_argument("--https-readings", type=int, default=500_000)
    parser.add_argument("--https-batch", type=int, default=100, help="messages per request")
    parser.add_argument("--https-workers", type=int, default=2)
    parser.add_argument("--https-clients", type=int, default=4)
    parser.add_argument("--skip-build", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not args.skip_build:
        build(url, args.sensors + 1)
    setup_django(url)
    from django.utils import timezone

    from dayi.monitoring.models import Reading

    Reading.objects.all().delete()
    all_sensors, key = bind_sensors(args.sensors + 1)
    probe_sensor, sensors = all_sensors[0], all_sensors[1 : args.sensors + 1]
    # Three windows of simulated time inside the sensors' bindings (bound 30 days back).
    origin = timezone.now().replace(second=0, microsecond=0) - timedelta(days=29)
    windows = [origin + timedelta(days=9 * i) for i in range(3)]
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_at_start": os.getloadavg()},
        "sensors": len(sensors),
    }
    results["arguments"] = {k: str(v) for k, v in vars(args).items()}
    with tempfile.TemporaryDirectory() as workdir, open(Path(workdir) / "processes.log", "w+") as log:
        broker = start_broker(workdir)
        try:
            open_sessions(args.processes)
            if "paced" not in args.skip:
                print("paced MQTT run …", flush=True)
                results["mqtt_paced"] = paced_run(
                    url, sensors, probe_sensor, windows[0], rate=args.rate, seconds=args.seconds,
                    per_message=args.per_message, processes=args.processes, log=log,
                )  # fmt: skip
                print(json.dumps(results["mqtt_paced"]), flush=True)
            if "crash" not in args.skip:
                print("saturating MQTT run with an ingester crash …", flush=True)
                results["mqtt_crash"] = crash_run(
                    url, sensors, windows[1], burst=args.burst, per_message=args.per_message,
                    processes=args.processes, log=log,
                )  # fmt: skip
                print(json.dumps(results["mqtt_crash"]), flush=True)
            if "https" not in args.skip:
                print("HTTPS run …", flush=True)
                results["https"] = https_run(
                    url, sensors, windows[2], key, workdir, readings=args.https_readings, batch=args.https_batch,
                    per_message=args.per_message, workers=args.https_workers, clients=args.https_clients, log=log,
                )  # fmt: skip
                print(json.dumps(results["https"]), flush=True)
        finally:
            broker.terminate()
            broker.wait(10)
            log.seek(0)
            everything = log.read()
            results["member_restarts"] = everything.count("starting it again")
            if "Traceback" in everything[-3000:]:
                print(everything[-3000:])
    results["machine"]["load_at_end"] = os.getloadavg()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
