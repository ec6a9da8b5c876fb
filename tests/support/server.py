"""One Datasette over a private copy of a database, driven from its own event loop, so that
hypothesis examples (plain functions) can post to it and read the file between them."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import yaml
from datasette.app import Datasette

from support.helpers import ROOT


class Server:
    """One Datasette (shipped config) on a private copy of the seeded database, driven from a
    private event loop, shared by every example of the module."""

    def __init__(self, path: Path):
        self.path = path
        self.loop = asyncio.new_event_loop()
        config = yaml.safe_load((ROOT / "datasette.yaml").read_text())
        self.ds = Datasette([str(path)], config=config)
        self.loop.run_until_complete(self.ds.invoke_startup())
        conn = sqlite3.connect(path)
        self.ids = [row[0] for row in conn.execute("SELECT id FROM claims ORDER BY id")]
        self.columns = [d[0] for d in conn.execute("SELECT * FROM claims LIMIT 0").description]
        conn.close()

    def post(self, url: str, body: bytes, content_type: str | None, actor: dict | None):
        headers = {"content-type": content_type} if content_type else {}
        cookies = {"ds_actor": self.ds.client.actor_cookie(actor)} if actor else {}
        return self.loop.run_until_complete(self.ds.client.post(url, content=body, headers=headers, cookies=cookies))

    def get(self, url: str, actor: dict | None):
        cookies = {"ds_actor": self.ds.client.actor_cookie(actor)} if actor else {}
        return self.loop.run_until_complete(self.ds.client.get(url, cookies=cookies))

    def dump(self) -> dict:
        conn = sqlite3.connect(self.path)
        try:
            return {
                "claims": {row[0]: row[1:] for row in conn.execute("SELECT * FROM claims ORDER BY id")},
                "events": conn.execute("SELECT * FROM claim_events ORDER BY id").fetchall(),
            }
        finally:
            conn.close()

    def version(self, claim_id: str) -> int | None:
        conn = sqlite3.connect(self.path)
        try:
            row = conn.execute("SELECT version FROM claims WHERE id = ?", [claim_id]).fetchone()
            return row[0] if row else None
        finally:
            conn.close()

    def close(self) -> None:
        self.loop.close()
