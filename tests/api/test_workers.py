"""`usmca serve --workers N` on Linux: one listening socket per worker (SO_REUSEPORT), so the kernel
spreads connections across the workers; the supervisor's errors, restarts and shutdown."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from usmca.api import workers
from usmca.errors import UsmcaError

pytestmark = pytest.mark.skipif(not workers.balanced_workers_supported(), reason="SO_REUSEPORT balancing: Linux")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_reuse_port_sockets_share_an_address() -> None:
    a = workers.reuse_port_socket("127.0.0.1", 0)
    port = a.getsockname()[1]
    b = workers.reuse_port_socket("127.0.0.1", port)  # a plain socket here would fail: address in use
    try:
        assert b.getsockname()[1] == port
    finally:
        a.close()
        b.close()


def test_a_taken_port_is_one_clear_error() -> None:
    with socket.socket() as taken:  # no SO_REUSEPORT: nobody else may bind the port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsmcaError, match=f"cannot serve on 127.0.0.1:{port}"):
            workers.Supervisor("127.0.0.1", port, 2).run()


def _children(pid: int) -> list[int]:
    """The worker processes of a supervisor (not multiprocessing's resource tracker)."""
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for kid in (int(x) for x in (task / "children").read_text().split()):
            try:
                if b"spawn_main" in Path(f"/proc/{kid}/cmdline").read_bytes():
                    out.append(kid)
            except OSError:  # ended meanwhile
                pass
    return out


def _sockets_by_state(port: int) -> dict[int, str]:
    """inode -> TCP state ('0A' listening, '01' established) of the sockets whose local port is `port`."""
    found: dict[int, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if int(f[1].rsplit(":", 1)[1], 16) == port:
                found[int(f[9])] = f[3]
    return found


def _socket_inodes(pid: int) -> set[int]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(int(target[8:-1]))
    return out


@pytest.fixture()
def served(web_store: Path) -> Any:
    port = _free_port()
    code = "import sys; from usmca.cli import app; sys.argv = ['usmca', *sys.argv[1:]]; app()"
    args = ["serve", "--port", str(port), "--workers", "2", "--no-access-log", "--store", str(web_store)]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            kids = _children(proc.pid)
            listening = [i for i, st in _sockets_by_state(port).items() if st == "0A"]
            if len(kids) == 2 and len(listening) == 2:
                break
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.2)
        else:
            pytest.fail("two workers did not start listening in time")
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
            for kid in _children(proc.pid) if os.path.exists(f"/proc/{proc.pid}") else []:
                os.kill(kid, signal.SIGKILL)
        proc.wait(10)


def test_each_worker_listens_and_connections_are_spread(served: Any) -> None:
    proc, port = served
    kids = _children(proc.pid)
    states = _sockets_by_state(port)
    listening = {i for i, st in states.items() if st == "0A"}
    # each worker holds a listening socket of its own
    assert all(len(_socket_inodes(k) & listening) == 1 for k in kids)
    # 40 keep-alive connections opened at once, as a proxy's pool or a load generator does
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for _ in range(40)]
    try:
        with ThreadPoolExecutor(20) as ex:
            codes = list(ex.map(lambda c: c.get("/api/indicators").status_code, clients))
        assert codes == [200] * 40
        established = {i for i, st in _sockets_by_state(port).items() if st == "01"}
        per_worker = [len(_socket_inodes(k) & established) for k in kids]
        assert sum(per_worker) == 40
        # one shared socket let one worker take the whole burst; hashed, each gets a fair part
        # (a split worse than 32:8 has a chance below 1 in 10,000 for 40 fair coins)
        assert min(per_worker) >= 8, per_worker
    finally:
        for c in clients:
            c.close()


def test_a_dead_worker_is_replaced_and_sigterm_stops_all(served: Any) -> None:
    proc, port = served
    first = _children(proc.pid)
    os.kill(first[0], signal.SIGKILL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        kids = _children(proc.pid)
        if len(kids) == 2 and first[0] not in kids:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the dead worker was not replaced")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    for kid in kids:
        assert not os.path.exists(f"/proc/{kid}") or "zombie" in Path(f"/proc/{kid}/status").read_text()
    assert "restarting" in (proc.stderr.read() if proc.stderr else "")


def test_a_worker_that_cannot_start_stops_the_server() -> None:
    """A worker exiting with uvicorn's start-up failure status (the app cannot be built) is not
    restarted in a loop: the supervisor stops and says so."""
    sup = workers.Supervisor("127.0.0.1", 0, 2, {"log_level": "critical"}, app="usmca.api.no_such_module:app")
    t0 = time.monotonic()
    assert sup.run() == workers.STARTUP_FAILURE
    assert sup.restarts == 0 and time.monotonic() - t0 < 60


def test_workers_end_when_the_supervisor_is_killed(served: Any) -> None:
    """SIGKILL leaves the supervisor no chance to stop its workers: the kernel does (PR_SET_PDEATHSIG)."""
    proc, port = served
    kids = _children(proc.pid)
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.2)
    assert not any(_alive(k) for k in kids)
    assert not [i for i, st in _sockets_by_state(port).items() if st == "0A"]  # the port is free again


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
