"""The controlled vocabularies of design.md, in one place.

Every write path (the plugin's review routes, the CLI, Datasette's own write
API through database triggers) validates against these tuples, so a value
can only be added or renamed here.
"""

from __future__ import annotations

KINDS = ("statistic", "quote", "reported", "event", "prediction", "opinion")
STATISTIC, QUOTE, REPORTED, EVENT, PREDICTION, OPINION = KINDS

SOURCINGS = (
    "leak",
    "anonymous",
    "named_person",
    "media_report",
    "social_media",
    "official_document",
    "unattributed",
)
LEAK, ANONYMOUS, NAMED_PERSON, MEDIA_REPORT, SOCIAL_MEDIA, OFFICIAL_DOCUMENT, UNATTRIBUTED = SOURCINGS

# Each status by name, for the code that means one of them (never spelled out elsewhere).
STATUSES = ("unreviewed", "in_progress", "needs_second_review", "done", "not_checkable")
UNREVIEWED, IN_PROGRESS, NEEDS_SECOND_REVIEW, DONE, NOT_CHECKABLE = STATUSES
DEFAULT_STATUS = UNREVIEWED
# The triage queue shows these unless the editor filters on status.
OPEN_STATUSES = (UNREVIEWED, IN_PROGRESS)
# Statuses where an editor has ruled on the claim, for progress counts.
REVIEWED_STATUSES = (DONE, NOT_CHECKABLE)
# Not yet ruled on: the editor's own work view ("Mine").
UNFINISHED_STATUSES = tuple(status for status in STATUSES if status not in REVIEWED_STATUSES)
# An editor took the claim up: the newsroom model learns it was check-worthy
# (and from not_checkable that it was not).
TAKEN_UP_STATUSES = (IN_PROGRESS, NEEDS_SECOND_REVIEW, DONE)

VERDICT_LABELS = {
    "true": "True",
    "mostly_true": "Mostly true",
    "half_true": "Half true",
    "mostly_false": "Mostly false",
    "false": "False",
    "misleading": "Misleading",
    "unproven": "Unproven",
}
VERDICTS = tuple(VERDICT_LABELS)

# schema.org ClaimReview ratingValue (bestRating 5, worstRating 1). The two
# verdicts that are not a point on the true-false scale carry only a label.
VERDICT_RATINGS = {"true": 5, "mostly_true": 4, "half_true": 3, "mostly_false": 2, "false": 1}

STATUS_LABELS = {
    "unreviewed": "Unreviewed",
    "in_progress": "In progress",
    "needs_second_review": "Needs second review",
    "done": "Done",
    "not_checkable": "Not checkable",
}

# Colour-blind-safe (Okabe-Ito), with unreviewed the quietest.
STATUS_COLOURS = {
    "unreviewed": "#bbbbbb",
    "in_progress": "#56b4e9",
    "needs_second_review": "#e69f00",
    "done": "#009e73",
    "not_checkable": "#cc79a7",
}
# The dashboard's verdict colours: from true (green) to false (vermillion); the two
# off the scale in their own hues.
VERDICT_COLOURS = {
    "true": "#009e73",
    "mostly_true": "#7ccba2",
    "half_true": "#f0e442",
    "mostly_false": "#e69f00",
    "false": "#d55e00",
    "misleading": "#cc79a7",
    "unproven": "#999999",
}
# Filter words of the queue's query string (and the CLI's export options):
# ?status=all shows every status; ?verdict=none / ?assignee=none mean no verdict
# yet / nobody assigned.
ALL_STATUSES = "all"
NONE = "none"

# What `datasette factcheck export --format` and the desk's export routes write:
# the review sheet, and schema.org ClaimReview JSON-LD.
EXPORT_FORMATS = ("csv", "claimreview")
SHEET_FORMAT, CLAIMREVIEW_FORMAT = EXPORT_FORMATS

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "kind": KINDS,
    "sourcing": SOURCINGS,
    "status": STATUSES,
    "verdict": VERDICTS,
}


class VocabularyError(ValueError):
    """A value outside one of the vocabularies; the message names the field."""

    def __init__(self, field: str, value: object):
        self.field = field
        self.value = value
        allowed = ", ".join(VOCABULARIES[field])
        super().__init__(f"{field} must be one of {allowed} (got {value!r})")


def check_value(field: str, value: object, *, nullable: bool = False) -> None:
    """Raise VocabularyError unless ``value`` belongs to ``field``'s vocabulary."""
    if value is None and nullable:
        return
    if value not in VOCABULARIES[field]:
        raise VocabularyError(field, value)
