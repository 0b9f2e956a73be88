"""Signups under load while hone-fcgi is killed: nothing acknowledged is lost.

    fcgi_load.py FCGI SITE SOCKET LOG URL COUNT KILLS

Starts hone-fcgi, sends COUNT signups (unique addresses) from 32 threads
through nginx at URL, and SIGKILLs hone-fcgi KILLS times along the way
(each time after another COUNT/(KILLS+1) signups were answered 303),
restarting it at once.  A signup refused meanwhile (502) is sent again,
as a visitor would, until it is answered 303; one whose first try was
committed but never answered is then a repeat.  Then checks the store:
every signup answered 303 is there exactly once, none is there twice,
nothing else is there.  Then 40 threads send one identical signup at the
same moment: all succeed, one row.  Prints one "ok"/"FAIL" line per check
and the figures, and stops hone-fcgi.
Standard library only (Debian's /usr/bin/python3).
"""
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

FCGI, SITE, SOCK, LOG, URL = sys.argv[1:6]
COUNT, KILLS = int(sys.argv[6]), int(sys.argv[7])
HOST = urllib.parse.urlsplit(URL)
ORIGIN = "%s://%s" % (HOST.scheme, HOST.netloc)
results = {}  # email -> its last answer's status
refused = {}  # status -> how many answers other than 303 (then retried)
lock = threading.Lock()
proc = None
checks = [0, 0]


def check(name, cond, detail=""):
    checks[0 if cond else 1] += 1
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "\n     " + str(detail)))


def start():
    global proc
    logf = open(LOG, "ab")
    size = os.path.getsize(LOG) if os.path.exists(LOG) else 0
    proc = subprocess.Popen([FCGI, "-s", SITE, "--listen", SOCK, "--mode", "0666", "-t", "16"],
                            stderr=logf, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    for _ in range(200):
        with open(LOG, "rb") as f:
            f.seek(size)
            if b"hone-fcgi: serving" in f.read():
                return
        time.sleep(0.02)
    raise SystemExit("hone-fcgi did not start")


def post(conn, email):
    body = urllib.parse.urlencode({"email": email, "referrer": "load"})
    conn.request("POST", "/signup", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Origin": ORIGIN})
    r = conn.getresponse()
    r.read()
    return r.status, r.getheader("Set-Cookie") or ""


def worker(queue):
    conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)
    while True:
        with lock:
            if not queue:
                break
            email = queue.pop()
        # like a visitor who clicks again: a failed signup is retried
        # (after a pause) until it is answered 303
        for attempt in range(200):
            try:
                status, _ = post(conn, email)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)
                status = 0
            if status == 303:
                break
            with lock:
                refused[status] = refused.get(status, 0) + 1
            time.sleep(0.02)
        with lock:
            results[email] = status


def load():
    queue = ["load%05d@example.org" % i for i in range(COUNT)][::-1]
    threads = [threading.Thread(target=worker, args=(queue,)) for _ in range(32)]
    for t in threads:
        t.start()
    kills = 0
    step = COUNT // (KILLS + 1)
    while kills < KILLS and any(t.is_alive() for t in threads):
        with lock:
            done = len(results)
        if done >= step * (kills + 1):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            start()
        time.sleep(0.002)
    for t in threads:
        t.join()
    return kills


def main():
    start()
    t0 = time.time()
    kills = load()
    secs = time.time() - t0
    acked = [e for e, s in results.items() if s == 303]
    db = sqlite3.connect(os.path.join(SITE, "state", "signups.db"))
    stored = {}
    for (email,) in db.execute("SELECT lower(email) FROM signups"):
        stored[email] = stored.get(email, 0) + 1
    missing = [e for e in acked if stored.get(e.lower(), 0) != 1]
    twice = [e for e, n in stored.items() if n > 1]
    print("figures: %d signups in %.1f s, %d answered 303 in the end; %s refused on the way "
          "(then retried); %d kills; %d rows" % (COUNT, secs, len(acked), json.dumps(refused),
                                                 kills, len(stored)))
    check("all %d signups were answered" % COUNT, len(results) == COUNT, len(results))
    check("hone-fcgi was SIGKILLed and restarted %d times during the load" % KILLS, kills == KILLS,
          kills)
    check("the kills cut requests (%d answers other than 303)" % sum(refused.values()),
          sum(refused.values()) > 0)
    check("answers other than 303 are only 502 (hone-fcgi down)", set(refused) <= {502}, refused)
    check("every signup was answered 303 in the end (retried after a 502)",
          len(acked) == COUNT, COUNT - len(acked))
    check("every signup answered 303 is in the store exactly once", not missing, missing[:5])
    check("no email is stored twice", not twice, twice[:5])
    check("nothing else is stored", len(stored) == COUNT, len(stored))
    # group commit: the log's batch=N figures
    batches = []
    with open(LOG, errors="replace") as f:
        for line in f:
            if " stored id=" in line and "batch=" in line:
                batches.append(int(line.rsplit("batch=", 1)[1]))
    big = max(batches) if batches else 0
    with open(LOG, errors="replace") as f:
        known = sum(1 for line in f if " 303 " in line and " known id=" in line)
    print("figures: %d signups were committed but their answer was cut by a kill; "
          "sent again, they were answered as repeats" % known)
    print("figures: %d stored signups logged; largest batch %d; mean batch %.1f" % (
        len(batches), big, sum(batches) / max(len(batches), 1)))
    check("signups that arrive together share a transaction (largest batch %d)" % big, big > 1)

    # concurrent identical signups: one row
    n = 40
    barrier = threading.Barrier(n)
    answers = []

    def same():
        conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)
        barrier.wait()
        answers.append(post(conn, "Same.Person@example.org"))

    ts = [threading.Thread(target=same) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    rows = db.execute("SELECT count(*) FROM signups WHERE email = 'same.person@example.org' "
                      "COLLATE NOCASE").fetchone()[0]
    ids = {c.split("=", 1)[1].split(".")[1] for s, c in answers if s == 303}
    check("%d identical signups at once: all 303" % n,
          [s for s, _ in answers] == [303] * n, answers[:3])
    check("%d identical signups at once: one row" % n, rows == 1, rows)
    check("%d identical signups at once: every cookie names that row" % n, len(ids) == 1, ids)
    proc.send_signal(signal.SIGTERM)
    check("hone-fcgi stops on SIGTERM with status 0", proc.wait(timeout=30) == 0)
    print("%d passed, %d failed" % tuple(checks))
    return 1 if checks[1] else 0


if __name__ == "__main__":
    sys.exit(main())
