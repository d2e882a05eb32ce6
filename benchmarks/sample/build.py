"""Rebuild the sample corpus (``pairs.jsonl``, ``clean.jsonl``, ``boilerplate.jsonl``).

Every text here was written for newsrepair by its developers (invented stories about
invented places); the spun side of each pair is made by :mod:`benchmarks.spinner` with
``benchmarks/dicts/sample.txt``. Run from the project root:

    python -m benchmarks.sample.build
"""

from __future__ import annotations

import json
import pathlib

from ..spinner import load_groups, spin

HERE = pathlib.Path(__file__).resolve().parent

#: Originals of the spun pairs (also not used as clean documents, to keep sets apart).
ORIGINALS = [
    "Harbour town votes to rebuild its old sea wall\n\n"
    "Residents of Kellmouth voted on Tuesday to spend the town's reserve fund on a new sea "
    "wall, after two winter storms flooded the market square in as many years.\n\n"
    "The mayor said the council had no choice because the old wall, built in 1911, was "
    "cracking along most of its length. \"People are tired of sandbags,\" she said.\n\n"
    "Work is expected to start next spring and to take at least two years. The government "
    "has promised to help with part of the cost, according to officials.",

    "Regional airline adds flights as fuel prices fall\n\n"
    "Northwind Air said on Monday it would add forty weekly flights between its inland hubs "
    "and the coast, as lower fuel prices make short routes profitable again.\n\n"
    "The company, which carried about two million people last year, also plans to buy six "
    "new aircraft. Its chief executive said demand had risen because many travellers now "
    "avoid the congested motorway.\n\n"
    "Analysts said the move was important for towns that lost their rail link in the 1990s.",

    "Army engineers restore power after river floods\n\n"
    "Army engineers restored power to most homes in the Varn valley on Sunday, four days "
    "after the river burst its banks.\n\n"
    "The energy minister said crews had worked through the night to replace two flooded "
    "substations. About 3,000 homes were still without power, and officials said the last of "
    "them should be connected by Wednesday.\n\n"
    "The international relief agency that runs the valley's shelters said it would stay "
    "until families could return home.",

    "School league final ends in late drama\n\n"
    "A late goal gave Brackley Grammar the schools' league title on Saturday, ending a match "
    "that had looked set for penalties.\n\n"
    "The team's coach said his players had shown great energy in the last ten minutes. "
    "\"We made it hard for ourselves, but they never stopped believing,\" he said.\n\n"
    "It is the first title for the school since 1987. The final was watched by a record "
    "crowd of 2,400 people, according to the league.",
]

#: Clean human text: the "do no harm" reference (includes phrases a careless
#: unspinner might "fix", such as "in line with", "whilst" and "stated aim").
CLEAN = [
    "Library reopens after two-year refit\n\n"
    "The central library in Dunmore reopened its doors on Thursday after a refit that took "
    "two years and cost more than planned.\n\n"
    "Whilst the reading rooms look much as they did, the building now has a lift, a café and "
    "a children's wing. The council said the work was in line with its stated aim of making "
    "every public building accessible.\n\n"
    "Visitors queued from early morning. \"I've been coming here for sixty years,\" one "
    "retired teacher said. \"It's nice to see it busy again.\"",

    "Farmers warn of poor apple harvest\n\n"
    "Orchard owners in the Selby hills expect their smallest apple crop in a decade after a "
    "late frost in April killed much of the blossom.\n\n"
    "The growers' association said yields could be down by a third. Prices in shops are "
    "likely to rise, although imports may soften the effect.\n\n"
    "Some farmers have begun netting their trees and installing wind machines, which stir "
    "the air on cold nights and keep frost from settling.",

    "Court delays ruling on bridge tolls\n\n"
    "A judge on Friday put off until next month a ruling on whether the operator of the "
    "Tamsin Bridge may raise its tolls by 15%.\n\n"
    "Commuters' groups argue that the concession signed in 2004 caps increases at the rate "
    "of inflation. The operator says rising maintenance costs justify the rise.\n\n"
    "Both sides said they would respect the court's decision.",

    "Museum returns carved panels to island community\n\n"
    "Eleven carved wooden panels held by a city museum for more than a century were handed "
    "back to the people of Orra island at a ceremony on Wednesday.\n\n"
    "The panels, which once lined a meeting house, were taken by a trader in 1898. The "
    "museum's director called the return \"long overdue\".\n\n"
    "Islanders plan to display them in a new community hall, due to open next year.",

    "Tech start-up raises funds for battery recycling plant\n\n"
    "Cellcycle, a start-up founded by three former university researchers, has raised "
    "£12m to build a plant that recovers lithium and cobalt from used batteries.\n\n"
    "The firm says its process uses less water than existing methods. Investors include a "
    "regional development bank and two carmakers.\n\n"
    "Construction is due to begin in the autumn, with the first batteries processed in 2027.",

    "Rail strike called off after late-night talks\n\n"
    "A planned 48-hour rail strike was called off early on Thursday after the union and "
    "the operator agreed a new pay offer.\n\n"
    "Members will vote on the deal over the next fortnight. Services are expected to run "
    "normally, although some early trains on Thursday were cancelled because staff had "
    "already been stood down.",
]

#: Scraped pages: the page text with its furniture, and the article a reader came for.
PAGES = [
    (
        "Home | News | Sport | Weather | Contact\n"
        "Search\n"
        "Monday, 3 March 2025\n"
        "Skip to content\n"
        "NewsLocal\n"
        "Ferry service to resume after repairs\n"
        "By Staff Reporter\n"
        "Share on Facebook Share on X Email\n"
        "The ferry linking Port Alder and the mainland will return to service on Friday, six "
        "weeks after it was damaged in a collision with the harbour wall.\n"
        "Repairs to the hull took longer than expected because a replacement part had to be "
        "made to order, the operator said.\n"
        "Islanders have relied on a smaller boat, which cannot carry vehicles, since January.\n"
        "RELATED ARTICLES\n"
        "Harbour fees to rise in April\n"
        "New café opens on the quay\n"
        "Subscribe to our newsletter\n"
        "© 2025 NewsLocal. All rights reserved.\n"
        "Privacy Policy | Terms of Use | Cookies",
        "Ferry service to resume after repairs\n"
        "The ferry linking Port Alder and the mainland will return to service on Friday, six "
        "weeks after it was damaged in a collision with the harbour wall.\n"
        "Repairs to the hull took longer than expected because a replacement part had to be "
        "made to order, the operator said.\n"
        "Islanders have relied on a smaller boat, which cannot carry vehicles, since January.",
    ),
    (
        "Menu\n"
        "World Business Science Culture\n"
        "Log in | Register\n"
        "Science\n"
        "Volunteers count a record number of nesting terns\n"
        "5 min read\n"
        "Volunteers counting seabirds on the Marl islands found more than 4,000 nesting pairs "
        "of terns this summer, the highest number since counts began in 1972.\n"
        "The rise follows the removal of rats from two of the islands, said the trust that "
        "manages them. Rats eat eggs and chicks and had driven the birds from the larger "
        "islands for decades.\n"
        "\"It shows what can happen when you give nature a chance,\" said the trust's warden.\n"
        "Advertisement\n"
        "Most read\n"
        "1. Storm warning for the coast\n"
        "2. Council approves new housing\n"
        "Follow us\n"
        "Lost Password?\n"
        "Contact us",
        "Volunteers count a record number of nesting terns\n"
        "Volunteers counting seabirds on the Marl islands found more than 4,000 nesting pairs "
        "of terns this summer, the highest number since counts began in 1972.\n"
        "The rise follows the removal of rats from two of the islands, said the trust that "
        "manages them. Rats eat eggs and chicks and had driven the birds from the larger "
        "islands for decades.\n"
        "\"It shows what can happen when you give nature a chance,\" said the trust's warden.",
    ),
    (
        "Breaking News\n"
        "HomeBusinessShop owners protest parking charges\n"
        "Updated 14:02\n"
        "Shop owners protest parking charges\n"
        "Dozens of shopkeepers closed their doors for an hour on Saturday in protest at new "
        "parking charges in the town centre.\n"
        "They say the charges, introduced in February, have driven customers to an out-of-town "
        "retail park where parking is free.\n"
        "The council said the money would pay for road repairs and that it would review the "
        "scheme in the summer.\n"
        "Tags: business, council, parking\n"
        "Please support independent journalism. Donate now.\n"
        "Comments (12)",
        "Shop owners protest parking charges\n"
        "Dozens of shopkeepers closed their doors for an hour on Saturday in protest at new "
        "parking charges in the town centre.\n"
        "They say the charges, introduced in February, have driven customers to an out-of-town "
        "retail park where parking is free.\n"
        "The council said the money would pay for road repairs and that it would review the "
        "scheme in the summer.",
    ),
]


def main() -> None:
    groups = load_groups(HERE.parent / "dicts" / "sample.txt")
    with open(HERE / "pairs.jsonl", "w", encoding="utf-8") as fh:
        for i, original in enumerate(ORIGINALS):
            spun = spin(original, groups, rate=0.6, seed=i).text
            fh.write(json.dumps({"id": f"sample-pair-{i}", "spun": spun, "original": original,
                                 "spinner": "sample-dictionary"}, ensure_ascii=False) + "\n")
    with open(HERE / "clean.jsonl", "w", encoding="utf-8") as fh:
        for i, text in enumerate(CLEAN):
            fh.write(json.dumps({"id": f"sample-clean-{i}", "text": text}, ensure_ascii=False) + "\n")
    with open(HERE / "boilerplate.jsonl", "w", encoding="utf-8") as fh:
        for i, (scraped, article) in enumerate(PAGES):
            fh.write(json.dumps({"id": f"sample-page-{i}", "scraped": scraped, "article": article},
                                ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
