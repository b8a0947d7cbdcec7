"""The rig the monitoring benchmarks stand on: a fresh PostgreSQL database with the demo
city's sensors bound, a private Mosquitto with the project's broker configuration, the
ingester members as separate processes, and their CPU time (see monitoring_ingest.py)."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dayi_monbench"
MQTT_PORT = 18830
CLIENT_ID = "bench-ingest"
GROUP = "bench"
ENV = {"DEBUG": "false", "SECURE_COOKIES": "false", "LOG_LEVEL": "WARNING"}


def _with_database(url, name):
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url, *statements):
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _manage(url, *args):
    environment = {**os.environ, **ENV, "DATABASE_URL": url}
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def cpu_seconds(pid):
    """User + system CPU the process has used so far: what the ingester cost, whatever else
    the shared machine was doing meanwhile."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid):
    """CPU of a process, of its children still running (the ingester members) and of those it
    has reaped (a member that ended and was started again)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    reaped = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    return cpu_seconds(pid) + reaped + sum(cpu_seconds(int(child)) for child in children)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))] if values else None


# Setup -------------------------------------------------------------------------------------


def build(url, sensors):
    name = urlsplit(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    _manage(url, "migrate", "-v0")
    _manage(url, "demo_city", "--scale", str(sensors))
    print(f"database built in {time.perf_counter() - started:.0f} s", flush=True)


def setup_django(url):
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bind_sensors(count):
    from dayi.accounts.models import Organisation
    from dayi.monitoring.credentials import hash_secret
    from dayi.monitoring.models import Gateway, Sensor
    from dayi.monitoring.simulator import ensure_demo_sensors

    sensors = ensure_demo_sensors(limit=count)
    secret = "bench-gateway-secret"  # noqa: S105 - a throw-away database
    gateway, _ = Gateway.objects.update_or_create(
        code="BENCH-GW", defaults={"owner": Organisation.objects.first(), "secret_hash": hash_secret(secret)}
    )
    Sensor.objects.filter(pk__in=[s.pk for s in sensors]).update(gateway=gateway)
    return sensors, f"Gateway BENCH-GW:{secret}"


def stored_count(sensors, start, end):
    """Readings of these sensors (ids) stored with times in [start, end): one run's readings."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM monitoring_reading WHERE sensor_id = ANY(%s) AND ts >= %s AND ts < %s",
            [list(sensors), start, end],
        )
        return cursor.fetchone()[0]


# Processes ---------------------------------------------------------------------------------


def start_broker(workdir):
    conf = Path(workdir) / "mosquitto.conf"
    lines = []
    for line in (ROOT / "deploy" / "mosquitto" / "dayi.conf").read_text().splitlines():
        if line.startswith("listener"):
            line = f"listener {MQTT_PORT} 127.0.0.1"
        elif line.startswith("persistence_location"):
            line = f"persistence_location {workdir}/"
        lines.append(line)
    conf.write_text("\n".join(lines) + "\n")
    broker = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return broker


def open_sessions(processes):
    """Create the ingesters' persistent sessions and shared subscription before anything is
    published, as deployed ingesters would have done long before."""
    import paho.mqtt.client as mqtt

    from dayi.monitoring.mqtt import shared_topic

    for n in range(1, processes + 1):
        subscribed = threading.Event()
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"{CLIENT_ID}-{n}", clean_session=False, protocol=mqtt.MQTTv311
        )
        client.on_connect = lambda c, *a: c.subscribe(shared_topic(GROUP, "dayi"), qos=1)
        client.on_subscribe = lambda *a, done=subscribed: done.set()
        client.connect("127.0.0.1", MQTT_PORT)
        client.loop_start()
        subscribed.wait(10)
        client.loop_stop()
        client.disconnect()


def start_ingester(url, log, processes):
    """`manage.py ingest_mqtt --processes N` in a process group of its own, so that a crash can
    kill the supervisor and every member at once."""
    environment = {**os.environ, **ENV, "DATABASE_URL": url}
    command = [PYTHON, "manage.py", "ingest_mqtt", "--port", str(MQTT_PORT), "--client-id", CLIENT_ID,
               "--group", GROUP, "--processes", str(processes)]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log, start_new_session=True)


# Payloads ----------------------------------------------------------------------------------
