"""Domain refusals carry a kind and a message, never an HTTP status; the web
toolkit alone turns a kind into one, the same way for every view."""

from __future__ import annotations

import json

import pytest

from datasette_factcheck import errors
from datasette_factcheck.desk.queue import FilterError
from datasette_factcheck.load.jobs import AddError
from datasette_factcheck.web.toolkit import error_json, http_status


@pytest.mark.parametrize(
    "error, status",
    [
        (errors.Invalid("note must be a string"), 400),
        (AddError("paste one or more URLs"), 400),
        (FilterError("status must be one of ..."), 400),
        (errors.NotAllowed("you do not have permission"), 403),
        (errors.Unknown("unknown claim id: x"), 404),
        (errors.Stale("version 1 is out of date", current={"version": 2}), 409),
    ],
)
def test_each_kind_of_refusal_has_one_http_status(error, status):
    assert not hasattr(error, "status")
    assert http_status(error) == status
    answer = error_json(error)
    assert answer.status == status


def test_a_stale_refusal_answers_with_the_current_values():
    answer = error_json(errors.Stale("version 1 is out of date", current={"status": "done", "version": 2}))
    assert json.loads(answer.body) == {
        "ok": False,
        "error": "version 1 is out of date",
        "current": {"status": "done", "version": 2},
    }
