"""Start the real CAS server (cas_server_main.py) on a free port, and catch its single logout
requests on another."""
from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

MAIN = Path(__file__).with_name("cas_server_main.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cannot_start(reason: str):
    """Outside CI a machine without the server skips, under CI the suite fails."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class CasServer:
    url: str  # e.g. http://127.0.0.1:PORT/cas
    logout_requests: queue.Queue  # the logoutRequest bodies the CAS sent


def start_cas(folder: Path, users: dict):
    """Yield a running CasServer, stop it after."""
    try:
        import cas_server  # noqa: F401
    except ImportError:
        cannot_start("django-cas-server is not installed (pip install -r requirements.txt)")
    caught: queue.Queue = queue.Queue()

    class Catcher(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            caught.put(parse_qs(body).get("logoutRequest", [""])[0])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    catcher = ThreadingHTTPServer(("127.0.0.1", 0), Catcher)
    threading.Thread(target=catcher.serve_forever, daemon=True).start()
    users_file = folder / "users.json"
    users_file.write_text(json.dumps(users))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(MAIN), str(folder), str(port), str(users_file),
         f"http://127.0.0.1:{catcher.server_port}/slo"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        ready = _wait_ready(proc, port)
        if not ready:
            output = proc.stdout.read() if proc.poll() is not None else ""
            cannot_start(f"the CAS server did not start: {output[-2000:]}")
        yield CasServer(url=f"http://127.0.0.1:{port}/cas", logout_requests=caught)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        catcher.shutdown()


def _wait_ready(proc, port, timeout=90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False
