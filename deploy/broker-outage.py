#!/usr/bin/env python3
"""A 60 s broker outage against the services of `deploy/run.sh --keep-running` (ports 5101-5104);
docs/reliability.md says how it was run.

    RMQ_NODE=sre@localhost RMQ_MGMT=http://127.0.0.1:15673 python3 deploy/broker-outage.py OUT

Stops the RabbitMQ node RMQ_NODE (rabbitmqctl stop_app) for 60 s and starts it again. During the
outage it suspends five providers it registered before (each suspension is an outbox row bound for
the broker) and reads four services' APIs; every 2 s it samples each service's /health/ready and
/health. Afterwards it counts the ProviderSuspended messages that reached a queue of its own bound
to that exchange and the due outbox rows left in each database. Writes OUT.json (the samples and the
verdict) and OUT.om (the lags as OpenMetrics, for promtool tsdb create-blocks-from openmetrics)."""
import json, os, subprocess, sys, time, urllib.request, urllib.error, base64, uuid
NODE = os.environ["RMQ_NODE"]; MGMT = os.environ["RMQ_MGMT"]  # e.g. sre@localhost, http://127.0.0.1:15673
PORTS = {"order": 5101, "warranty": 5102, "repairdispatch": 5103, "arbitration": 5104}
OUTAGE = 60; N = 5; OUT = sys.argv[1]
auth = "Basic " + base64.b64encode(b"guest:guest").decode()
token = subprocess.check_output(["dotnet", "services/Platform.Cli/bin/Release/net10.0/platform.dll", "token", "--role", "operator", "--subject", "sre"], text=True).strip()

def http(method, url, body=None, headers=None, timeout=5):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(), headers=headers or {})
    if body is not None: req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r: return r.status, r.read().decode()
    except urllib.error.HTTPError as e: return e.code, e.read().decode()
    except Exception as e: return 0, str(e)

def api(method, svc, path, body=None):
    h = {"Authorization": "Bearer " + token}
    if method != "GET": h["Idempotency-Key"] = str(uuid.uuid4())
    return http(method, f"http://127.0.0.1:{PORTS[svc]}{path}", body, h)

def mgmt(method, path, body=None): return http(method, MGMT + path, body, {"Authorization": auth})
def rabbitctl(*args): subprocess.run(["rabbitmqctl", "-n", NODE, *args], check=True, stdout=subprocess.DEVNULL)

samples = []  # (t, svc, ready_status, health_status, bus, outbox_lag, scheduler_lag)
def sample(phase):
    for svc in PORTS:
        rs, _ = http("GET", f"http://127.0.0.1:{PORTS[svc]}/health/ready")
        hs, body = http("GET", f"http://127.0.0.1:{PORTS[svc]}/health")
        bus = lag = slag = None
        try:
            checks = json.loads(body)["checks"]; bus = checks["bus"]["status"]
            d = checks["outbox"]["description"]  # "outbox lag 0.0s, scheduler lag 0.0s"
            lag = float(d.split("outbox lag ")[1].split("s")[0]); slag = float(d.split("scheduler lag ")[1].split("s")[0])
        except Exception: pass
        samples.append((time.time(), phase, svc, rs, hs, bus, lag, slag))

# A queue of our own bound to the exchange ProviderSuspended is published to: what reaches it was not lost.
exchange = "Platform.Contracts.Repair.V1:ProviderSuspended"
mgmt("PUT", f"/api/exchanges/%2F/{urllib.parse.quote(exchange, safe='')}", {"type": "fanout", "durable": True})
mgmt("PUT", "/api/queues/%2F/outage-probe", {"durable": True})
mgmt("DELETE", "/api/queues/%2F/outage-probe/contents")
mgmt("POST", f"/api/bindings/%2F/e/{urllib.parse.quote(exchange, safe='')}/q/outage-probe", {})
providers = [f"outage-{uuid.uuid4().hex[:8]}" for _ in range(N)]
for p in providers:
    s, b = api("POST", "repairdispatch", "/providers", {"id": p, "regions": ["310000"], "categories": ["phones"], "capacity": 1})
    assert s in (200, 201), (s, b)
for _ in range(5): sample("before"); time.sleep(2)

t0 = time.time(); rabbitctl("stop_app"); print(f"broker stopped at {time.strftime('%H:%M:%S', time.gmtime(t0))}")
calls = []
for p in providers:
    calls.append(api("POST", "repairdispatch", f"/providers/{p}/suspend", {"reason": "outage check"})[0])
for svc, path in [("repairdispatch", "/providers"), ("arbitration", "/operations/stale-cases"), ("order", "/operations/refusals"), ("warranty", "/operations/refusals")]:
    calls.append(api("GET", svc, path)[0])
while time.time() - t0 < OUTAGE: sample("outage"); time.sleep(2)
rabbitctl("start_app"); t1 = time.time(); print(f"broker started at {time.strftime('%H:%M:%S', time.gmtime(t1))} ({t1 - t0:.0f} s down)")
while time.time() - t1 < 60: sample("after"); time.sleep(2)

probe = json.loads(mgmt("GET", "/api/queues/%2F/outage-probe")[1]).get("messages")
outbox = {}
for db in PORTS:
    outbox[db] = subprocess.check_output(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAc", "select count(*) from outbox where due_at <= now()"], text=True, env={**os.environ, "PGPASSWORD": "postgres"}).strip()
result = {"api_calls_during_outage": calls, "suspensions": N, "probe_messages": probe, "due_outbox_rows_after": outbox, "t0": t0, "t1": t1}
print(json.dumps(result))
with open(OUT + ".json", "w") as f: json.dump({"result": result, "samples": samples}, f)
# OpenMetrics for promtool: the lags the services reported, under the names their gauges export.
with open(OUT + ".om", "w") as f:
    for name, i in (("platform_outbox_lag_seconds", 6), ("platform_scheduler_lag_seconds", 7)):
        f.write(f"# TYPE {name} gauge\n")
        for s in samples:
            if s[i] is not None: f.write(f'{name}{{job="{s[2]}"}} {s[i]} {s[0]:.3f}\n')
    f.write("# TYPE platform_health_status gauge\n")
    for s in samples:
        if s[5]: f.write(f'platform_health_status{{job="{s[2]}",check="bus"}} {dict(Healthy=2, Degraded=1, Unhealthy=0)[s[5]]} {s[0]:.3f}\n')
    f.write("# EOF\n")
