"""English stop words dropped from a matching query: they match nearly every fact-check,
cost the most to look up (their lists are longest) and say nothing about the claim.
The usual function words, and a tweet's furniture ("rt", "via")."""

STOP_WORDS = frozenset(
    """
a about above after again against all am an and any are aren as at be because been before being below
between both but by can cannot could couldn did didn do does doesn doing don down during each few for
from further had hadn has hasn have haven having he her here hers herself him himself his how i if in
into is isn it its itself just ll let me more most mustn my myself no nor not now of off on once only or
other ought our ours ourselves out over own re same shan she should shouldn so some such than that the
their theirs them themselves then there these they this those through to too under until up us ve very
was wasn we were weren what when where which while who whom why will with won would wouldn you your
yours yourself yourselves s t d m o y rt via amp also get got just like one would could said says say
""".split()
)
