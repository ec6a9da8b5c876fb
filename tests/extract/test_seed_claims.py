"""The extractor held to the hand-labelled reference (../shared/eval/seed_claims.json)."""

from __future__ import annotations

import json
import math

import pytest


def _article_id(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0]


def _claims(db, article_id):
    return list(
        db.query(
            "select * from claims where article_id = ? and superseded_at is null order by position",
            [article_id],
        )
    )


def _labelled(reference):
    for file_name, article in reference["articles"].items():
        for label in article["claims"]:
            yield _article_id(file_name), label


def _match(db, article_id, label):
    found = [c for c in _claims(db, article_id) if label["text"] in c["text"]]
    return found


def test_every_must_claim_is_exactly_one_claim(seeded_db, seed_reference):
    problems = []
    for article_id, label in _labelled(seed_reference):
        found = _match(seeded_db, article_id, label)
        if label["must"] and len(found) != 1:
            problems.append(f"{label['id']}: {len(found)} claims contain {label['text']!r}")
    assert not problems, problems


def test_top_claims_rank_in_their_articles_top_quarter(seeded_db, seed_reference):
    problems = []
    for article_id, label in _labelled(seed_reference):
        if not label.get("top"):
            continue
        ranked = sorted(_claims(seeded_db, article_id), key=lambda c: -c["checkworthiness"])
        cutoff = math.ceil(len(ranked) / 4)
        rank = next(i for i, c in enumerate(ranked) if label["text"] in c["text"])
        if rank >= cutoff:
            problems.append(f"{label['id']} ranks {rank + 1} of {len(ranked)} (top quarter: {cutoff})")
    assert not problems, problems


@pytest.mark.parametrize("field", ["kind", "sourcing"])
def test_leak_anonymous_and_statistic_claims_are_labelled_as_the_reference(seeded_db, seed_reference, field):
    problems = []
    for article_id, label in _labelled(seed_reference):
        if label["sourcing"] in ("leak", "anonymous") or label["kind"] == "statistic":
            (claim,) = _match(seeded_db, article_id, label)
            if claim[field] != label[field]:
                problems.append(f"{label['id']}: {field} {claim[field]!r}, labelled {label[field]!r}")
    assert not problems, problems


@pytest.mark.parametrize("field", ["kind", "sourcing"])
def test_most_labels_agree_with_the_reference(seeded_db, seed_reference, field):
    labels = list(_labelled(seed_reference))
    agree = sum(_match(seeded_db, a, label)[0][field] == label[field] for a, label in labels)
    assert agree / len(labels) >= 0.85, f"{field}: {agree} of {len(labels)} agree"


def test_claimants_name_who_makes_the_claim(seeded_db, seed_reference):
    """The labelled claimant's last word is in ours (Healey / John Healey); none where none."""
    problems = []
    for article_id, label in _labelled(seed_reference):
        (claim,) = _match(seeded_db, article_id, label)
        expected = label["claimant"]
        ok = (
            claim["claimant"] is None
            if expected is None
            else (claim["claimant"] is not None and expected.split()[-1].lower() in claim["claimant"].lower())
        )
        if not ok and label["must"]:
            problems.append(f"{label['id']}: claimant {claim['claimant']!r}, labelled {expected!r}")
    assert not problems, problems


def test_quotes_split_from_their_attribution_name_the_speaker(seeded_db):
    (claim,) = [c for c in _claims(seeded_db, "003_7c462d476a23d359") if "more recruits" in c["text"]]
    assert claim["text"].endswith("he added.")
    assert claim["kind"] == "quote"
    assert "Healey" in claim["claimant"]


def test_figures_include_the_labelled_ones(seeded_db, seed_reference):
    for article_id, label in _labelled(seed_reference):
        if "figures" in label:
            (claim,) = _match(seeded_db, article_id, label)
            assert set(label["figures"]) <= set(json.loads(claim["figures"])), label["id"]


def test_reasons_explain_the_discord_leak_score(seeded_db):
    (claim,) = [c for c in _claims(seeded_db, "000_c0d474dec84a8582") if "97 NATO" in c["text"]]
    reasons = json.loads(claim["reasons"])
    assert reasons[0] == "a leaked figure"
    assert any(r.startswith("figure: ") and "97" in r for r in reasons)


def test_seed_000_header_gives_date_author_outlet(seeded_db, seed_reference):
    expected = seed_reference["articles"]["000_c0d474dec84a8582.txt"]
    article = seeded_db["articles"].get("000_c0d474dec84a8582")
    assert (article["published"], article["author"], article["outlet"]) == (
        expected["published"],
        expected["author"],
        expected["outlet"],
    )


def test_no_boilerplate_left_anywhere(seeded_db, seed_reference):
    texts = [value or "" for row in seeded_db["articles"].rows for value in (row["title"], row["body"])]
    texts += [value or "" for row in seeded_db["claims"].rows for value in (row["text"], row["context"])]
    for boilerplate in seed_reference["boilerplate"]:
        assert not [t for t in texts if boilerplate in t], boilerplate


def test_reference_clusters_are_joined(seeded_db, seed_reference):
    by_label = {label["id"]: (a, label) for a, label in _labelled(seed_reference)}
    problems = []
    for cluster in seed_reference["clusters"]:
        ids = {_match(seeded_db, *by_label[member])[0]["cluster_id"] for member in cluster["claims"]}
        if len(ids) != 1 and cluster["must"]:
            problems.append(cluster["id"])
    assert not problems, problems


def test_clusters_do_not_join_unrelated_claims(seeded_db):
    sizes = [row["n"] for row in seeded_db.query("select count(*) n from claims group by cluster_id")]
    assert max(sizes) <= 3, sizes


def test_the_discord_leak_figure_is_its_articles_most_check_worthy_claim(seeded_db):
    ranked = sorted(_claims(seeded_db, "000_c0d474dec84a8582"), key=lambda c: -c["checkworthiness"])
    assert "97 NATO special operations soldiers" in ranked[0]["text"]


def test_every_claim_has_at_most_five_reasons_and_a_score_in_range(seeded_db):
    for claim in seeded_db.query("select checkworthiness, reasons from claims"):
        assert 0.0 <= claim["checkworthiness"] <= 1.0
        assert len(json.loads(claim["reasons"])) <= 5
