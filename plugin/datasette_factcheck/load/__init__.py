"""Load: the pipeline that runs ingest, extract, score and store for ``factcheck load`` and the Add page.

Rule: composes the stages below it; handed the scoring to use, it never trains.
"""
