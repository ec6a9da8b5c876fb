"""Match: published fact-checks imported (ClaimReview, feeds, pages) and claims matched to them and to
the desk's own rulings.

Rule: may import ingest/ (the guarded fetcher), store/ and below; never desk/, web/ or cli/.
"""
