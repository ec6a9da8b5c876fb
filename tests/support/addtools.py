"""The Add page driven as its JavaScript drives it: submit, then poll the job's JSON until it
ends; and the shipped config with the fetcher allowed onto the 127.0.0.1 news site."""

from __future__ import annotations

import asyncio
import time

from support.helpers import cookies, shipped_config

ADD = "/factcheck/-/factcheck/add"


EDITOR = {"id": "alice", "roles": ["editor"]}


OTHER_EDITOR = {"id": "bob", "roles": ["editor"]}


TEXT = ("The county council said on Tuesday that 1,200 new homes would be built on the old airfield by 2030. "
        "\"We have listened to residents,\" council leader Amir Khan said. Opponents said the plan ignored "
        "flooding on the site, which was under water twice last winter, according to the Environment Agency.")  # fmt: skip


def config() -> dict:
    shipped = shipped_config()
    # The news site is on 127.0.0.1, which the Add page refuses unless told otherwise.
    shipped["plugins"]["datasette-factcheck"]["fetch"] = {
        "delay": 0,
        "timeout": 5,
        "backoff": 0.01,
        "allow_private": True,
    }
    return shipped


async def submit(ds, actor, **kwargs):
    return await ds.client.post(ADD, cookies=cookies(ds, actor), **kwargs)


async def finished(ds, actor, job_id: str, seconds: float = 60) -> dict:
    """The job once it has finished (polling its JSON as the page does)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = await ds.client.get(f"{ADD}.json?job={job_id}", cookies=cookies(ds, actor))
        assert answer.status_code == 200, answer.text
        job = answer.json()["job"]
        if job["state"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"the job did not finish: {job}"
        await asyncio.sleep(0.05)


async def add_urls(ds, actor, *urls: str) -> dict:
    answer = await submit(ds, actor, json={"urls": list(urls)})
    assert answer.status_code == 202, answer.text
    return await finished(ds, actor, answer.json()["job"]["id"])
