"""Korean text for the benchmark world, derived from the demo's data files
(demo/data): proposal titles and bodies from the demo's ideas with random
places, comments from its phrases. Texts are made once into pools and then
drawn at random, so filling a million rows costs no string work per row.

A few sentences are added so that the searches the benchmark measures find
something at every scale: 한강 appears often, 도서관 and 주말 appear in the
same proposals but never side by side ("도서관 주말" must be found as two
words, not as one phrase)."""

import random

from demo.datafiles import read
from proposals.text import compact

# Sentences that put the measured search words into bodies. 도서관 and 주말
# are kept apart by other words, in either order.
EXTRA_SENTENCES = (
    "한강 산책로를 따라 걷다 보면 쉴 곳이 부족하다는 생각이 듭니다.",
    "한강공원까지 가는 길이 더 안전하고 편해지면 좋겠습니다.",
    "주말이면 아이들과 갈 곳이 마땅치 않은데, 동네 작은 도서관이 일찍 문을 닫습니다.",
    "동네 도서관을 평일 저녁과 주말에도 열어 주시면 많은 주민이 이용할 것입니다.",
    "주말 프로그램을 늘리고, 구립 도서관에는 열람실 좌석을 더 만들어 주세요.",
    "한강 다리 아래 그늘에서 쉬는 시민이 많습니다.",
)
# Bodies that must not hold the phrase as one string, whatever the spacing.
FORBIDDEN_PHRASE = compact("도서관 주말")


def _places():
    places = read("places")
    return [
        {
            "gu": district["name"],
            "dong": dong,
            "station": station,
            "park": park,
            "market": market,
            "district": code,
        }
        for code, district in places.items()
        for dong in district["neighbourhoods"]
        for station, park, market in zip(
            district["stations"], district["parks"] * 2, district["markets"] * 2, strict=False
        )
    ]


class TextPools:
    """Pools of titles, bodies, comments and arguments, made with a seeded
    random generator so two fills at one scale write the same text."""

    def __init__(self, seed: int = 10, size: int = 4000):
        rng = random.Random(seed)  # nosec B311  # made-up benchmark data, never a secret
        ideas = read("ideas")
        phrases = read("phrases")
        places = _places()
        self.proposals = []  # (category code, district code, title, body, tags)
        for index in range(size):
            idea = ideas[index % len(ideas)]
            place = rng.choice(places)
            title = rng.choice(idea["titles"]).format(**place)[:100]
            if idea["scope"] == "district":
                opening = rng.choice(phrases["district_openings"]).format(**place)
                district = place["district"]
            else:
                opening = rng.choice(phrases["city_openings"])
                district = ""
            paragraphs = [opening]
            paragraphs += [rng.choice(options).format(**place) for options in idea["paragraphs"]]
            if rng.random() < 0.35:
                paragraphs.insert(2, rng.choice(EXTRA_SENTENCES))
            paragraphs.append(rng.choice(phrases["closings"]))
            body = "\n\n".join(paragraphs)
            if FORBIDDEN_PHRASE in compact(title + body):
                # Rare: a sentence ending in 도서관 before one starting with
                # 주말. Keep the idea's own text only.
                body = "\n\n".join(paragraphs[:1] + paragraphs[-1:])
            tags = list(dict.fromkeys(rng.sample(idea["tags"], k=min(2, len(idea["tags"])))))
            self.proposals.append((idea["category"], district, title, body, tags))
        comments = phrases["support_comments"] + phrases["debate_comments"]
        self.comments = [
            " ".join(rng.sample(comments, k=rng.choice((1, 1, 2))))
            + (" " + rng.choice(EXTRA_SENTENCES) if rng.random() < 0.1 else "")
            for _ in range(size)
        ]
        self.arguments = [" ".join(rng.sample(phrases["debate_comments"], k=2)) for _ in range(200)]
        answers = read("answers")
        self.answer = answers["fallback"]
