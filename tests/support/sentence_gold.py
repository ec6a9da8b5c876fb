"""Hand-labelled sentence boundaries for news prose.

Each paragraph is a list of its expected sentences; the paragraph text is
those sentences joined by single spaces.  ``GOLD`` must split exactly (the
tests enforce it); ``HARD`` holds cases the splitter is known to get wrong,
kept so that the benchmark's precision/recall stay honest.  Shared by
``tests/test_sentences.py`` and ``bench/sentences.py``.
"""

from __future__ import annotations

GOLD: list[list[str]] = [
    # Titles and state abbreviations.
    [
        "Sen. Elizabeth Warren, D-Mass., said the bill would pass.",
        "It did not.",
    ],
    [
        "The meeting was held on Wed. Oct. 4 in Sacramento, Calif.",
        "Officials attended.",
    ],
    ["Relations between the U.S. and the U.K. remain close."],
    ["Mr Van de Vijver said it was over.", "Mr. Smith agreed."],
    [
        "Mrs. Jones met Dr. Patel and Prof. Lee at St. Mary's.",
        "Gen. Milley and Col. Reyes were there too.",
        "Lt. Gov. Dan Patrick and Sgt. Ruiz arrived late.",
    ],
    [
        "Rep. Alexandria Ocasio-Cortez, D-N.Y., voted no.",
        "Gov. Gavin Newsom disagreed.",
    ],
    [
        "The company moved to Austin, Tex.",
        "Its founder stayed in Albany, N.Y.",
        "Nobody knows why.",
    ],
    ["Calif. Gov. Gavin Newsom signed the bill on Sept. 30."],
    ["The talks were held at No. 10 Downing Street.", "No agreement was reached."],
    ["Is it true?", "No.", "The minister denied it."],
    # Initialisms, suffixes and times.
    ["U.S. President Joe Biden spoke to U.N. Secretary-General Antonio Guterres."],
    [
        "The sanctions were imposed by the U.S.",
        "The move angered Moscow.",
        "It was expected.",
    ],
    [
        "The vote is at 9 a.m. Tuesday.",
        "Results come at 6 p.m.",
        "The count may take hours.",
    ],
    [
        "Apple Inc. Chief Executive Tim Cook visited Beijing.",
        "He met Martin Luther King Jr. Day organisers later.",
    ],
    [
        "The deal was signed by Acme Co.",
        "The price was not disclosed.",
    ],
    ["She earned a Ph.D. in physics.", "Her thesis was on lasers."],
    ["J. R. R. Tolkien wrote it."],
    ["The report by J.K. Rowling and George R.R. Martin was short."],
    ["The fallback was Plan B.", "The council rejected it."],
    # Numbers, money, URLs, e.g./i.e.
    ["It rose 3.5 per cent.", "Then it fell."],
    ["The fund raised $1.2bn in 2023, up 4.5% on the year.", "Investors cheered."],
    ["Details are at example.com/a.b and www.gov.uk/news.", "Read them."],
    ["Email john.smith@example.com for a copy.", "Replies are slow."],
    [
        "Some states, e.g. Texas, refused.",
        "Others, i.e. the rest, complied.",
        "Roe v. Wade was cited.",
    ],
    ["It costs approx. three dollars.", "That is cheap."],
    [
        "They sell pens, paper, ink, etc.",
        "The shop closes at noon.",
    ],
    # Quotes.
    ['He said: "It is over."', "Then he left."],
    ["“It is over.”", "Then he left."],
    ['"We need more recruits," Healey said.'],
    ["“We need more recruits,” Healey said.", "He was firm."],
    ['"Is it over?" she asked.', '"Yes!" he replied.'],
    ['"Why?" Healey asked.', "Nobody answered."],
    [
        "Putin warned of a “serious conflict in Europe and a global conflict.”",
        "Kyiv shrugged.",
    ],
    ["Was it worth it?", "Nobody can say!", "The war goes on."],
    # Ellipses and editorial brackets.
    ["He paused...", "Then he spoke.", "It went on … and on."],
    ["“We [need to] make it easier,” he said.", "Nobody objected."],
    ["“The plan [...] Is working,” he said.", "Critics disagreed."],
    ["The law (…) Requires consent, the judge said.", "The case continues."],
    # Real seed text.
    [
        "The Discord leaks revealed that as of March 2023, 97 NATO special "
        "operations soldiers were inside Ukraine, including 50 British soldiers.",
        "In April 2022, The Times reported that British Special Air Service "
        "soldiers were in Ukraine training Ukrainians on anti-tank weapons.",
    ],
    [
        "When asked if that could involve sending troops to Ukraine, Healey said, "
        '"We will look wherever we can to respond to what the Ukrainians want.',
        'They are the ones fighting."',
    ],
    [
        "Last month, French newspaper Le Monde reported that the UK and France "
        "had “reactivated” talks on deploying troops to Ukraine.",
        "Earlier this year, French President Emmanuel Macron said that he would not rule out such a scenario.",
        "However, many fellow NATO member states were quick to back away from his suggestion.",
    ],
    [
        "Talking to us in Kyiv today, the defence secretary John Healey said he "
        'would keep the details of his plans "unavailable" to President Putin.',
        "pic.twitter.com/yqf5xVomib — Daniel Wittenberg (@DannyWittenberg) December 18, 2024",
    ],
]

HARD: list[list[str]] = [
    # A place abbreviation used as an adjective before a non-title noun.
    ["Police in Washington, D.C. Mayor Muriel Bowser's office said nothing."],
    # A company suffix that really does end the sentence before a noun.
    ["The shares belong to Acme Inc.", "Shares rose 5% on Monday."],
    # A question quoted before a multi-word speaker.
    ['"Why now?" Prime Minister Keir Starmer asked.', "Nobody replied."],
    # "St." after a street name ends the sentence.
    ["She lives on Main St.", "The house is blue."],
    # A sentence that begins with a lower-case brand name.
    ["He bought the phone.", "iPhone sales rose."],
]
