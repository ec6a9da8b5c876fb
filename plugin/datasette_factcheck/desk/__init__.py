"""Desk: what editors do with claims: the queue, one claim's page, review and history, counts, exports.

Rule: read models and domain rules over the store; no Datasette, no click (web/ and cli/ call these).
"""
