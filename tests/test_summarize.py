"""summarize: the article's most telling sentences, in article order, within the length asked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import DigestArticle, Sentence
from generator.summarize import (
    SAME_SAYING,
    UNSEEN,
    SummaryLength,
    centralities,
    cosine,
    document_frequencies,
    is_noise,
    is_summary_candidate,
    is_teaser_lead,
    pick_diverse,
    position_prior,
    sentence_score,
    style_penalty,
    summarize,
    tfidf_weigher,
    theme_digest,
)


def build_sentence(text: str, is_heading: bool = False, index: int = 0) -> Sentence:
    words = tuple(w.strip(".,;:!?\"'„”“‘’()").lower() for w in text.split())
    return Sentence(index=index, block=0, text=text, lemmas=words, forms=words,
                    offsets=tuple(range(len(words))), words=len(words), is_heading=is_heading)


def build_digest_article(analyzed, text: str, slug: str, **front) -> DigestArticle:
    """An article of a theme as the digest holds it: analyzed, with its summary."""
    article = analyzed(text, path=f"{slug}.txt", **front)
    return DigestArticle(slug=slug, analyzed=article, summary=summarize(article), themes=())


NEWS = [
    "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak in Moskou.",
    "Het Russische ministerie van Buitenlandse Zaken maakte het besluit maandag bekend.",
    "De drie diplomaten moeten binnen twee weken het land verlaten, aldus het ministerie.",
    "Minister Hoekstra ontbiedt de Russische ambassadeur in Den Haag om uitleg te vragen.",
    "Nederland zette vorige maand zelf twee Russische diplomaten het land uit wegens spionage.",
    "Volgens analisten lopen de spanningen tussen beide landen al maanden verder op.",
]


# Properties

_WORDS = st.sampled_from(
    "rusland nederland diplomaten ambassadeur minister troepen grens sancties moskou den haag "
    "heeft wijst zegt stuurt legt uit op de het een van in met niet morgen maandag drie twee "
    "nieuwe boze europese russische".split()
)


@st.composite
def _sentences(draw) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=18))
    words[0] = words[0].capitalize()
    text = " ".join(words) + draw(st.sampled_from([".", ".", ".", "?", "!", ""]))
    quote = draw(st.sampled_from(["", "", "", '"', "„"]))
    if quote:
        text = quote + text + draw(st.sampled_from(["", '"', "”"]))
    return text


_HEADING = st.lists(_WORDS, min_size=1, max_size=5).map(lambda w: " ".join(w).capitalize())
_PARAGRAPH = st.one_of(
    st.lists(_sentences(), min_size=1, max_size=4).map(" ".join),
    st.lists(_sentences(), min_size=1, max_size=4).map(" ".join),
    _HEADING,
)
_ARTICLE = st.lists(_PARAGRAPH, min_size=1, max_size=8).map("\n\n".join)
_LENGTH = st.builds(
    SummaryLength,
    sentences=st.integers(min_value=1, max_value=5),
    words=st.one_of(st.none(), st.integers(min_value=5, max_value=80)),
)


@settings(max_examples=50, deadline=None)
@given(text=_ARTICLE, length=_LENGTH)
def test_summarize_picks_article_sentences_in_order_within_the_length(analyzed, text, length):
    article = analyzed(text)
    summary = summarize(article, length)
    assert all(s in article.sentences for s in summary)
    assert [s.index for s in summary] == sorted({s.index for s in summary})
    assert len(summary) <= length.sentences
    if length.words is not None and len(summary) > 1:
        assert sum(s.words for s in summary) <= length.words


@settings(max_examples=50, deadline=None)
@given(text=_ARTICLE, length=_LENGTH)
def test_summarize_is_never_empty_for_a_non_empty_article(analyzed, text, length):
    article = analyzed(text)
    assert article.sentences
    assert summarize(article, length)


@settings(max_examples=50, deadline=None)
@given(text=_ARTICLE, length=_LENGTH)
def test_summarize_prefers_whole_sentences_over_headings_and_fragments(analyzed, text, length):
    article = analyzed(text)
    if any(is_summary_candidate(s) for s in article.sentences):
        assert all(is_summary_candidate(s) for s in summarize(article, length))


# Examples


def test_summarize_short_article_gives_its_sentences(analyzed):
    article = analyzed(f"{NEWS[0]} {NEWS[1]}")
    assert [s.text for s in summarize(article, SummaryLength(sentences=3))] == NEWS[:2]


def test_summarize_gives_the_number_of_sentences_asked(analyzed):
    article = analyzed(" ".join(NEWS))
    for count in (1, 2, 3, 4):
        assert len(summarize(article, SummaryLength(sentences=count))) == count


def test_summarize_starts_from_the_lead(analyzed):
    article = analyzed(" ".join(NEWS))
    assert summarize(article, SummaryLength(sentences=2))[0].text == NEWS[0]


def test_summarize_never_contains_a_heading_or_a_fragment(analyzed):
    article = analyzed("\n\n".join([
        NEWS[0],
        "Boze reactie uit Den Haag",
        f"{NEWS[1]} Dinsdag meer.",
        "Reactie",
        f"{NEWS[2]} en dan nog iets zonder punt",
        f"{NEWS[3]} {NEWS[4]}",
    ]))
    headings = [s.text for s in article.sentences if s.is_heading]
    assert headings == ["Boze reactie uit Den Haag", "Reactie"]
    for count in (1, 3, 5):
        summary = summarize(article, SummaryLength(sentences=count))
        assert all(not s.is_heading for s in summary)
        assert all(s.text in NEWS for s in summary)


def test_summarize_respects_the_word_cap(analyzed):
    article = analyzed(" ".join(NEWS))
    summary = summarize(article, SummaryLength(sentences=3, words=25))
    assert sum(s.words for s in summary) <= 25
    assert len(summary) == 2


def test_summarize_word_cap_keeps_at_least_one_sentence(analyzed):
    article = analyzed(" ".join(NEWS))
    summary = summarize(article, SummaryLength(sentences=3, words=5))
    assert [s.text for s in summary] == [NEWS[0]]


def test_summarize_does_not_say_the_same_thing_twice(analyzed):
    article = analyzed(" ".join([
        NEWS[0],
        "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak, meldt Moskou.",
        *NEWS[1:],
    ]))
    texts = [s.text for s in summarize(article, SummaryLength(sentences=2))]
    assert texts[0] == NEWS[0]
    assert not texts[1].startswith("Rusland heeft drie Nederlandse diplomaten")


def test_summarize_one_line_article_without_a_full_stop_is_summarized(analyzed):
    article = analyzed("Rusland wijst drie Nederlandse diplomaten uit na een spionagezaak")
    assert [s.text for s in summarize(article)] == [
        "Rusland wijst drie Nederlandse diplomaten uit na een spionagezaak"
    ]


def test_summarize_article_of_fragments_leaves_out_bylines(analyzed):
    article = analyzed("Drie diplomaten weg uit Moskou\n\nDoor onze correspondent in Moskou"
                       "\n\nZe moeten weg")
    assert [s.text for s in summarize(article)] == ["Ze moeten weg"]


# Scores


def test_position_prior_falls_with_each_sentence():
    priors = [position_prior(rank) for rank in range(30)]
    assert priors[0] == 1.0
    assert all(a > b > 0 for a, b in zip(priors, priors[1:], strict=False))


PLAIN = "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak."


def test_style_penalty_leaves_a_plain_sentence_alone():
    assert style_penalty(build_sentence(PLAIN)) == 0.0


@pytest.mark.parametrize("text", [
    "Heeft Rusland drie Nederlandse diplomaten uitgewezen na een spionagezaak?",
    "„Heeft Rusland drie Nederlandse diplomaten uitgewezen na een spionagezaak?”",
])
def test_style_penalty_marks_down_a_question(text):
    assert style_penalty(build_sentence(text)) > style_penalty(build_sentence(PLAIN))


@pytest.mark.parametrize("text", [
    '"Wij zullen reageren op deze onaanvaardbare stap van Moskou, en snel ook.',
    'op deze onaanvaardbare stap van Moskou", zei de minister van Buitenlandse Zaken.',
    "„Wij zullen reageren op deze onaanvaardbare stap van Moskou, en snel ook.",
    "reageren op deze stap van Moskou', verklaarde de minister van Buitenlandse Zaken.",
])
def test_style_penalty_marks_down_a_quote_fragment(text):
    assert style_penalty(build_sentence(text)) > style_penalty(build_sentence(PLAIN))


def test_style_penalty_marks_down_a_sentence_leaning_on_the_one_before():
    dangling = "Dat heeft het ministerie van Buitenlandse Zaken maandag bekendgemaakt in Moskou."
    assert style_penalty(build_sentence(dangling)) > 0.0


def test_style_penalty_marks_down_very_short_and_very_long_sentences():
    short = "Rusland wijst diplomaten uit."
    long = " ".join(["Rusland wijst diplomaten uit"] * 16) + "."
    assert style_penalty(build_sentence(short)) > 0.0
    assert style_penalty(build_sentence(long)) > 0.0


@pytest.mark.parametrize("text", [
    "Don’t expect the Owls’ keeper to play again before the drivers' title race in June.",
    "We’ve heard the Rovers’ rivals ‘sense a chance’ ever since the holders' winning run ended.",
    "It's the Rotterdam dockers' third strike over the port's automated cranes this year.",
])
def test_style_penalty_takes_apostrophes_and_possessives_for_no_quote_fragment(text):
    assert style_penalty(build_sentence(text)) == 0.0


def test_style_penalty_spares_a_reference_back_to_a_summary_line():
    dangling = build_sentence(
        "Dat heeft het ministerie van Buitenlandse Zaken maandag bekendgemaakt in Moskou.")
    assert style_penalty(dangling, follows_summary_line=True) == 0.0
    assert style_penalty(dangling) > 0.0


@pytest.mark.parametrize("text, language", [
    ("They were not the first to try, but the twins finally rowed across the Atlantic.", "en"),
    ("This bakery surely is the busiest shop in town after winning the national prize.", "en"),
    ("Hij had het allemaal al eens meegemaakt, maar nooit op zo'n grote schaal.", "nl"),
])
def test_is_teaser_lead_spots_a_lede_opening_on_a_pronoun(text, language):
    assert is_teaser_lead(build_sentence(text), language)


@pytest.mark.parametrize("text, language", [
    ("Three off-duty nurses helped a cyclist who collapsed on a crowded Lisbon bridge.", "en"),
    ("Theresa May will ask the EU for a delay to Brexit, her office said.", "en"),
    # `Het` is the Dutch article, not a pronoun that points ahead.
    ("Het kabinet trekt drie miljard euro uit voor de verbouwing van het Binnenhof.", "nl"),
])
def test_is_teaser_lead_leaves_a_lede_that_names_its_subject(text, language):
    assert not is_teaser_lead(build_sentence(text), language)


def test_summarize_skips_a_teaser_lede_for_the_point(analyzed):
    article = analyzed(
        "They are now one of the most common sights on the beaches of southern Europe. "
        "The folding beach chair was patented by a Dutch furniture maker back in the year 1952. "
        "Willem Brakel thought of the design after his wooden deckchair broke on a family trip. "
        "The patent expired in 1972, long before the chairs were sold in every seaside shop. "
        "Several resorts in Spain and Portugal now rent the chairs out to visitors by the hour.",
        language="en",
    )
    summary = summarize(article, SummaryLength(sentences=3))
    assert [s.text.split()[0] for s in summary] == ["The", "Willem", "The"]


def test_summarize_keeps_a_lead_sentence_that_refers_back_to_the_lede(analyzed):
    article = analyzed(
        "Dutch dock workers stopped work at the port of Rotterdam on Monday over new cranes. "
        "The union says the automated cranes will cost hundreds of jobs in five years. "
        "They want talks with the port first. "
        "Ships waiting to unload now queue outside the port, and shipping firms warn of delays. "
        "The harbour authority says it is ready to talk to the union later this week.",
        language="en",
    )
    summary = summarize(article, SummaryLength(sentences=3))
    assert [s.text.split()[0] for s in summary] == ["Dutch", "The", "They"]


def test_is_summary_candidate_accepts_a_lead_after_a_dashed_label_or_a_handle():
    for text in ("weer - Een zware storm trekt vannacht over het noorden van het land.",
                 "j.bakker Ooit een wethouder zien zingen op de markt van zijn eigen dorp?",
                 "→ Twee ooievaars zijn gisteren teruggekeerd op hun nest boven het stadhuis."):
        assert is_summary_candidate(build_sentence(text, index=0))
    mid_text = build_sentence("weer - Een storm raakt het land.", index=3)
    assert not is_summary_candidate(mid_text)


def test_cosine_of_a_vector_with_itself_is_one():
    vector = {"rusland": 2.0, "diplomaat": 1.0, "uitwijzen": 1.5}
    assert cosine(vector, vector) == pytest.approx(1.0)


def test_cosine_of_vectors_without_shared_terms_is_zero():
    assert cosine({"rusland": 1.0}, {"voetbal": 3.0}) == 0.0


def test_cosine_of_an_empty_vector_is_zero():
    assert cosine({}, {"rusland": 1.0}) == 0.0
    assert cosine({"rusland": 1.0}, {}) == 0.0


def test_cosine_is_symmetric_and_ignores_scale():
    a = {"rusland": 1.0, "diplomaat": 2.0}
    b = {"rusland": 3.0, "sanctie": 1.0, "diplomaat": 1.0}
    assert cosine(a, b) == pytest.approx(cosine(b, a))
    assert cosine(a, b) == pytest.approx(cosine({k: 10 * v for k, v in a.items()}, b))
    assert 0.0 < cosine(a, b) < 1.0


def test_document_frequencies_weigh_rare_lemmas_more(analyzed):
    articles = [
        analyzed("Rusland wijst diplomaten uit."),
        analyzed("Rusland stuurt troepen naar de grens."),
        analyzed("Rusland krijgt nieuwe sancties."),
    ]
    idf = document_frequencies(articles)
    assert idf["troep"] > idf["rusland"]
    assert idf["rusland"] == pytest.approx(1.0)


def test_position_prior_outweighs_centrality_and_title():
    # News puts the point first: a plain lead beats a later sentence that is more central.
    lead = sentence_score(build_sentence(PLAIN), 0, centrality=0.1, title_similarity=0.0)
    later = sentence_score(build_sentence(PLAIN), 3, centrality=0.6, title_similarity=0.3)
    assert lead > later


def test_sentence_score_rises_with_centrality_and_title_similarity():
    sentence = build_sentence(PLAIN)
    assert sentence_score(sentence, 2, 0.5, 0.0) > sentence_score(sentence, 2, 0.1, 0.0)
    assert sentence_score(sentence, 2, 0.1, 0.5) > sentence_score(sentence, 2, 0.1, 0.0)


def test_sentence_score_marks_down_a_question_at_the_same_place():
    question = build_sentence("Heeft Rusland drie Nederlandse diplomaten uitgewezen na een zaak?")
    plain = build_sentence(PLAIN)
    assert sentence_score(question, 1, 0.3, 0.0) < sentence_score(plain, 1, 0.3, 0.0)


# Noise


@pytest.mark.parametrize("text", [
    "By . Daily Mail Reporter .",
    "PUBLISHED: 10:02 GMT, 3 March 2021 | .",
    "UPDATED: 11:15 GMT, 3 March 2021 .",
    "Scroll down for video The minister spoke to reporters outside the ministry on Monday.",
    "Foto: Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak.",
    "Door onze redacteur Jan de Vries in Moskou en Den Haag, met medewerking van anderen.",
    "All rights reserved by the publisher of this newspaper and its partners.",
    "  Lees ook: Rusland wijst drie Nederlandse diplomaten uit na een spionagezaak.",
    "Van onze correspondent in Moskou schreef gisteren over de nieuwe uitwijzingen.",
    "The story was last updated on Monday after the ministry of foreign affairs spoke.",
    "To see the full statement of the ministry of foreign affairs, Click here now.",
    "Published : 10:02 GMT, 3 March 2021, and read by many thousands of readers.",
    "© 2021 Het Dagblad, alle rechten voorbehouden, overname zonder toestemming verboden.",
    "Home | Nieuws | Buitenland | Rusland wijst drie Nederlandse diplomaten uit.",
])
def test_is_noise_recognises_bylines_datelines_and_credits(text):
    assert is_noise(build_sentence(text))


@pytest.mark.parametrize("text", [
    PLAIN, *NEWS, "The union published its demands on Monday.",
    "Byron Smith updated the figures for the ministry on Monday, after the first count.",
    "De band AC|DC speelde zaterdag in Nijmegen voor een uitverkocht stadion.",
    "Het Duitse blad Der Spiegel publiceerde het stuk, dat de minister als onzin afdeed.",
])
def test_is_noise_leaves_news_alone(text):
    assert not is_noise(build_sentence(text))


def test_summarize_skips_a_byline_before_the_lead(analyzed):
    article = analyzed(
        "By . Staff Reporter . PUBLISHED: 10:02, 3 March 2021 | . UPDATED: 11:15, 3 March 2021 . "
        "Dock workers at the Rotterdam harbour stopped work on Monday over automated cranes. "
        "The union says the new cranes will cost hundreds of jobs over the next five years. "
        "Ships waiting to unload now queue outside the port, and shipping firms warn of delays. "
        "The harbour authority says it is ready to talk to the union later this week.",
        language="en",
    )
    summary = summarize(article, SummaryLength(sentences=2))
    assert summary[0].text.startswith("Dock workers")
    assert not any(is_noise(s) for s in summary)


def test_is_summary_candidate_accepts_a_lead_after_a_section_label():
    labelled = "verkeer fietsers De wethouder die door rood reed is niet gefilmd door scholieren."
    assert is_summary_candidate(build_sentence(labelled, index=0))
    # Further on, a lower-case opening is a piece of a sentence, not a lead.
    assert not is_summary_candidate(build_sentence(labelled, index=4))


# Centrality, title, redundancy


def test_centralities_favour_the_sentence_that_shares_most():
    vectors = [
        {"rusland": 1.0, "diplomaat": 1.0, "uitwijzen": 1.0},
        {"rusland": 1.0, "diplomaat": 1.0},
        {"rusland": 1.0, "uitwijzen": 1.0},
        {"voetbal": 1.0, "uitslag": 1.0},
    ]
    scores = centralities(vectors)
    assert scores[0] == max(scores)
    assert scores[3] == 0.0


def test_centralities_equal_the_cosine_with_all_the_others():
    vectors = [{"a": 1.0, "b": 2.0}, {"b": 1.0, "c": 3.0}, {"a": 2.0, "c": 1.0}]
    for i, score in enumerate(centralities(vectors)):
        others: dict[str, float] = {}
        for j, vector in enumerate(vectors):
            if j != i:
                for term, weight in vector.items():
                    others[term] = others.get(term, 0.0) + weight
        assert score == pytest.approx(cosine(vectors[i], others))


def test_pick_diverse_passes_over_a_near_copy_of_a_pick():
    vectors = [{"rusland": 1.0, "diplomaat": 1.0}, {"rusland": 1.0, "diplomaat": 0.9},
               {"sanctie": 1.0, "europa": 1.0}]
    relevance = [1.0, 0.95, 0.7]
    assert pick_diverse(range(3), relevance, vectors, 2) == [0, 2]
    # Without a redundancy term it would simply take the two most relevant.
    assert sorted(range(3), key=lambda i: -relevance[i])[:2] == [0, 1]


def test_pick_diverse_leaves_out_what_says_the_same_as_a_chosen_line():
    vectors = [{"rusland": 1.0}, {"rusland": 1.0}, {"sanctie": 1.0}]
    assert pick_diverse([1, 2], [1.0, 1.0, 0.1], vectors, 2, chosen=[0], same=0.9) == [2]


def pick_diverse_afresh(shortlist, relevance, vectors, count, chosen=(), same=float("inf")):
    """Maximal marginal relevance with every similarity worked out again for each pick."""
    picked = list(chosen)
    left = [i for i in shortlist if i not in picked]
    while left and len(picked) < len(chosen) + count:
        similarity = {i: max((cosine(vectors[i], vectors[j]) for j in picked), default=0.0)
                      for i in left}
        left = [i for i in left if similarity[i] < same]
        if not left:
            break
        best = max(left, key=lambda i: relevance[i] - 0.6 * similarity[i])
        picked.append(best)
        left.remove(best)
    return picked[len(chosen):]


@st.composite
def mmr_cases(draw):
    size = draw(st.integers(1, 12))
    vectors = draw(st.lists(
        st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0.1, 5.0), max_size=5),
        min_size=size, max_size=size))
    relevance = draw(st.lists(st.floats(-1.0, 3.0), min_size=size, max_size=size))
    order = draw(st.permutations(range(size)))
    cut = draw(st.integers(0, size))
    return (order[cut:], relevance, vectors, draw(st.integers(1, 5)), order[:cut],
            draw(st.sampled_from([float("inf"), 0.8, 0.5])))


@given(mmr_cases())
@settings(max_examples=300, deadline=None)
def test_pick_diverse_picks_what_working_every_similarity_out_afresh_picks(case):
    assert pick_diverse(*case) == pick_diverse_afresh(*case)


def test_tfidf_weigher_counts_words_and_leaves_out_stop_words_and_numbers():
    weigh = tfidf_weigher({"de"}, {"rusland": 2.0, "5g": 3.0, UNSEEN: 4.0})
    weights = weigh(["de", "rusland", "2021", "5g", "rusland", "nieuw", "-"])
    assert weights == {"rusland": 4.0, "5g": 3.0, "nieuw": 4.0}
    # In the order the lemmas come first, which is the order their sums are made in.
    assert list(weights) == ["rusland", "5g", "nieuw"]


def test_has_headline_tells_a_given_title_from_one_cut_from_the_lead(analyzed):
    text = " ".join(NEWS)
    assert not analyzed(text).has_headline
    assert analyzed(text, title="Moskou zet Nederlandse diplomaten uit").has_headline
    assert analyzed(f"Moskou zet diplomaten uit\n\n{text}").has_headline
    # A given title that only repeats the lead sentence is that sentence, not a headline.
    assert not analyzed(text, title=NEWS[0]).has_headline


def test_document_frequencies_give_an_unseen_lemma_the_highest_weight(analyzed):
    idf = document_frequencies([analyzed("Rusland wijst diplomaten uit."),
                                analyzed("Rusland stuurt troepen.")])
    assert idf[UNSEEN] == max(idf.values())


# Theme digest

WIRE = "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak in Moskou."


def test_theme_digest_takes_identical_wire_text_once_from_the_newer_article(analyzed):
    newer = build_digest_article(analyzed, f"{WIRE} {NEWS[3]}", "nieuw")
    older = build_digest_article(analyzed, f"{WIRE} {NEWS[4]}", "oud")
    lines = theme_digest([newer, older], None)
    texts = [line.sentence.text for line in lines]
    assert texts.count(WIRE) == 1
    assert next(line.slug for line in lines if line.sentence.text == WIRE) == "nieuw"


@pytest.mark.parametrize("newer_first", [True, False])
def test_theme_digest_keeps_the_newer_of_two_sentences_that_say_the_same(analyzed, newer_first):
    same = "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak, meldt Moskou."
    other = "De Europese Unie dreigt met nieuwe sancties tegen Russische banken en bedrijven."
    one = build_digest_article(analyzed, same, "een")
    two = build_digest_article(analyzed, f"{WIRE} {other}", "twee")
    assert cosine(
        {w: 1.0 for w in one.summary[0].lemmas}, {w: 1.0 for w in two.summary[0].lemmas}
    ) >= SAME_SAYING
    articles = [one, two] if newer_first else [two, one]
    lines = theme_digest(articles, None, size=2)
    # Two lines from three candidates: one of the pair that say the same, and the other one.
    assert [line.sentence.text for line in lines].count(other) == 1
    kept = next(line for line in lines if line.sentence.text != other)
    assert kept.slug == articles[0].slug


def test_theme_digest_links_each_line_to_its_article(analyzed):
    articles = [build_digest_article(analyzed, " ".join(NEWS[i: i + 2]), f"artikel-{i}")
                for i in range(0, 6, 2)]
    by_slug = {a.slug: a for a in articles}
    lines = theme_digest(articles, None, size=4)
    assert lines
    for line in lines:
        assert line.sentence in by_slug[line.slug].summary
    # Newest article first, its sentences in article order.
    order = [(int(line.slug.split("-")[1]), line.sentence.index) for line in lines]
    assert order == sorted(order)


@pytest.mark.parametrize("size", [3, 4, 5])
def test_theme_digest_gives_the_size_asked_when_there_are_enough_sentences(analyzed, size):
    articles = [build_digest_article(analyzed, text, f"a{i}") for i, text in enumerate(NEWS)]
    lines = theme_digest(articles, document_frequencies([a.analyzed for a in articles]), size)
    assert len(lines) == size
    assert len({line.sentence.text for line in lines}) == size


def test_theme_digest_gives_all_candidates_when_there_are_few(analyzed):
    articles = [build_digest_article(analyzed, NEWS[0], "a"),
                build_digest_article(analyzed, NEWS[1], "b")]
    assert [line.slug for line in theme_digest(articles, None)] == ["a", "b"]
    assert theme_digest([], None) == ()


def test_theme_digest_gives_each_story_its_lead_before_its_later_sentences(analyzed):
    # Sentences that share no word: centrality is equal, so the lead's head start decides.
    stories = [
        "Rusland wijst drie Nederlandse diplomaten uit. Het ministerie maakte dat maandag bekend. "
        "Spionage zou daarvan volgens Moskou oorzaak zijn.",
        "Kiev vraagt extra luchtafweer aan bondgenoten. Duitsland belooft snel wapens te leveren. "
        "Polen overweegt eveneens tanks naar zijn buurland te sturen.",
    ]
    articles = [build_digest_article(analyzed, text, f"a{i}") for i, text in enumerate(stories)]
    assert all(len(a.summary) == 3 for a in articles)
    lines = theme_digest(articles, None, size=2)
    assert [(line.slug, line.sentence) for line in lines] == [
        (a.slug, a.summary[0]) for a in articles
    ]


def test_theme_digest_newer_line_stands_in_only_when_it_says_it_about_as_well(analyzed):
    same = "Rusland heeft drie Nederlandse diplomaten uitgewezen na een spionagezaak in Moskou."
    question = "Heeft Rusland drie Nederlandse diplomaten uitgewezen na een spionagezaak in Moskou?"
    other = "De Europese Unie dreigt met nieuwe sancties tegen Russische banken en bedrijven."
    newer = build_digest_article(analyzed, question, "nieuw")
    older = build_digest_article(analyzed, same, "oud")
    third = build_digest_article(analyzed, other, "derde")
    lines = theme_digest([newer, older, third], None, size=2)
    assert [line.sentence.text for line in lines] == [same, other]


def test_summarize_word_cap_drops_the_least_telling_sentence_first(analyzed):
    question = "„Hoe lang duurt de ruzie tussen Moskou en Den Haag over de spionage nog?”"
    article = analyzed(" ".join([NEWS[0], question, NEWS[1], NEWS[2]]))
    full = summarize(article, SummaryLength(sentences=3))
    assert question in [s.text for s in full]
    words = sum(s.words for s in full if s.text != question)
    capped = summarize(article, SummaryLength(sentences=3, words=words))
    assert [s.text for s in capped] == [s.text for s in full if s.text != question]


def test_summarize_length_in_words_alone_fills_the_words(analyzed):
    article = analyzed(" ".join(NEWS))
    summary = summarize(article, SummaryLength(sentences=10, words=40))
    assert sum(s.words for s in summary) <= 40
    assert len(summary) == 3
