"""The plugin's own pluggy hooks.

They are added to Datasette's plugin manager (project name "datasette"), so
another installed package implements them with ``datasette.hookimpl`` exactly
as it implements Datasette's own hooks. The built-in implementations live in
``score/builtin.py`` and are registered ``trylast``: a plugin's answer comes first.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("datasette")
hookimpl = pluggy.HookimplMarker("datasette")


@hookspec(firstresult=True)
def factcheck_extract_claims(article):
    """Split an article into claims.

    Receives an ``Article`` (``datasette_factcheck.records``) whose ``body``
    is cleaned text, paragraphs separated by blank lines.

    Returns a list of ``datasette_factcheck.extract.claims.Claim`` (``text``,
    ``paragraph``, ``start``, ``end`` set; annotations optional: those left
    as ``None`` are filled in by the built-in annotator), or ``None`` to let
    the next implementation answer. The first list returned wins, so a plugin
    that returns one replaces the built-in extractor.
    """


@hookspec
def factcheck_extra_claims(article, claims):
    """Add claims the main extractor missed.

    Receives the ``Article`` and the list of ``Claim`` already extracted
    (do not modify it). Returns a list of further ``Claim`` objects, or
    ``None``. Every implementation is called and all results are kept; a
    claim whose text repeats one already found is dropped.
    """


@hookspec(firstresult=True)
def factcheck_score_claim(claim, article, model):
    """Score how check-worthy an annotated claim is.

    Receives one annotated ``Claim`` (``kind``, ``sourcing``, ``claimant``,
    ``figures``, ``hedges`` set), its ``Article`` and ``model``: the
    ``checkworthy.Model`` the loader scores with (the database's own, fitted by
    ``datasette factcheck train``, else the shipped one; ``None`` means the
    shipped one). An implementation may leave ``model`` out of its signature
    (pluggy passes only the arguments it names). Returns a
    ``(score, reasons)`` tuple: ``score`` a float in 0..1, ``reasons`` a list
    of at most five short phrases an editor reads, strongest first
    ("figure: 97, 50", "source: leak"), or ``None`` to defer. The first
    answer wins, so a plugin replaces the built-in scorer by answering.
    """


@hookspec
def factcheck_review_committed(datasette, database, actor, changes):
    """Announce review changes after they are committed.

    Receives the ``Datasette`` instance, the database name, the ``actor``
    dict (or ``None``) and ``changes``: a list of dicts, one per claim
    changed, each ``{"claim_id", "action", "changes", "version"}`` where
    ``changes`` maps field -> ``[old, new]``. Called once per committed
    request (a bulk change or a cluster propagation arrives as one call).
    Return value ignored; may be a coroutine function. Use it for
    notifications; it runs after the commit, so it cannot veto a change.
    """
