"""What matching reads of a post: its hashtags as written."""

from datasette_factcheck.match.words import hashtags, plain_text


def test_hashtags_are_the_tags_plain_text_splits_as_written_once_each():
    post = "Vote #DraftOurDaughters #maga https://t.co/k46W#GunControl #Hillary2016 @HillaryClinton #DraftOurDaughters"
    # one-word tags (#maga) are words of the plain text already; handles are not hashtags
    assert hashtags(post) == ["draftourdaughters", "guncontrol", "hillary2016"]
    assert "draftourdaughters" not in plain_text(post).lower()
    assert hashtags("No tags here, #one lower-case tag and @SomeHandle") == []
