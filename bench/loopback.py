"""Datasette served on a loopback port, and a lean HTTP client for it.

Shared by the benchmarks and the tests that need a real server (concurrent
editors, the browser journey): one way to start it, wait for it and always
stop it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(
    db_path: Path,
    *,
    env: dict | None = None,
    options: Sequence[str] = (),
    log_path: Path | None = None,
    timeout: float = 60,
) -> Iterator[str]:
    """Run ``datasette serve`` with the shipped config on a free loopback port;
    yields its base URL and stops it (its whole process group) afterwards."""
    port = free_port()
    log_path = log_path or Path(tempfile.mkdtemp()) / "datasette.log"
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(db_path),
        "-c",
        str(ROOT / "datasette.yaml"),
        "-m",
        str(ROOT / "metadata.yml"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        *options,
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server, log_path, timeout)
        yield base
    finally:
        _stop(server)


def _wait_until_up(base: str, server: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"datasette exited with status {server.returncode}:\n{log_path.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"datasette did not answer within {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")
        try:
            with direct.open(f"{base}/-/versions.json", timeout=2) as answer:
                if answer.status == 200:
                    return
        except urllib.error.HTTPError:
            return  # any answer means it is up; the shipped config is private, so a stranger's is a 403
        except OSError:
            time.sleep(0.2)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class Connection:
    """A lean HTTP/1.1 client on one keep-alive connection.

    Deliberately lean: the load generator shares the machine's cores with the
    server, so every cycle it spends is one the server cannot.
    """

    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie

    async def __aenter__(self) -> Connection:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def __aexit__(self, *exc) -> None:
        self.writer.close()

    async def request(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> tuple[int, bytes]:
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            f"Cookie: ds_actor={self.cookie}",
            f"Content-Length: {len(body)}",
        ]
        if content_type:
            head.append(f"Content-Type: {content_type}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status = int((await self.reader.readline()).split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            chunks = []
            while (size := int((await self.reader.readline()).split(b";")[0], 16)) > 0:
                chunks.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readline()
            return status, b"".join(chunks)
        return status, await self.reader.readexactly(int(headers.get("content-length", 0)))

    async def post_json(self, path: str, payload: dict) -> int:
        status, _ = await self.request("POST", path, json.dumps(payload).encode(), "application/json")
        return status
