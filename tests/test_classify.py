"""classify: articles land in themes by the vocabulary their lemmas match, with evidence."""

from __future__ import annotations

import pytest

from generator.classify import ThemeClassifier
from generator.model import Theme


def build_theme(slug: str, *terms: str, language: str = "nl", threshold: float = 0.5) -> Theme:
    return Theme(slug=slug, title=slug.title(), description="",
                 vocabulary={language: terms}, threshold=threshold)


def slugs(matches) -> list[str]:
    return [m.slug for m in matches]


def matched_words(evidence) -> list[str]:
    return [evidence.sentence[start:end] for start, end in evidence.spans]


@pytest.fixture(scope="module")
def classifier(shipped_themes) -> ThemeClassifier:
    return ThemeClassifier(shipped_themes)


EXPULSION_BODY = (
    "Dat heeft het ministerie van Buitenlandse Zaken in Moskou maandag bekendgemaakt. "
    "De drie moeten binnen twee weken het land verlaten.\n\n"
    "Minister Hoekstra noemt het besluit onbegrijpelijk. Hij overlegt met zijn Europese collega's."
)

FOOTBALL = [
    "Het Nederlands elftal heeft dinsdagavond in Rotterdam met 3-1 gewonnen van Noorwegen.",
    "Bondscoach Van Gaal was na afloop tevreden over het spel van zijn ploeg. Memphis Depay "
    "scoorde twee keer. De eerste helft was volgens de spelers wel erg rommelig.",
    "De wedstrijd werd gespeeld voor een uitverkocht stadion. Supporters zongen voor de aftrap "
    "het volkslied. Er werd vuurwerk afgestoken op de tribune.",
    "Van Gaal wil de komende weken vooral werken aan de verdediging. Daar ging het volgens hem te "
    "vaak mis. Ook de keeper kreeg kritiek.",
    "Oranje speelt zaterdag in Amsterdam tegen Turkije. Die wedstrijd is beslissend voor de "
    "groepswinst. De kaarten zijn al maanden uitverkocht.",
    "Het duel begint om kwart voor negen en is live te zien op televisie.",
]


def test_classify_expulsion_article_lands_in_expulsions_with_evidence(classifier, analyzed):
    article = analyzed(
        f"Rusland heeft drie Nederlandse diplomaten uitgewezen. {EXPULSION_BODY}"
    )
    matches = classifier.classify(article)
    assert slugs(matches) == ["expulsions"]
    [evidence] = matches[0].evidence
    assert evidence.sentence == "Rusland heeft drie Nederlandse diplomaten uitgewezen."
    assert matched_words(evidence) == ["diplomaten", "uitgewezen"]
    assert evidence.terms == (
        "diplomaat|ambassadeur|ambassadepersoneel|ambassademedewerker*|consul|gezant|attaché "
        "+ uitwijzen|uitwijzing|uitzetten|uitzetting|wegsturen",
    )


def test_classify_expulsion_headline_in_the_present_tense(classifier, analyzed):
    # `wijst … uit` is how Dutch headlines say it; the vocabulary has `wijzen + uit`.
    article = analyzed(
        "Rusland wijst drie Nederlandse diplomaten uit\n\n"
        f"Rusland wijst drie Nederlandse diplomaten uit. {EXPULSION_BODY}"
    )
    matches = classifier.classify(article)
    assert slugs(matches) == ["expulsions"]
    sentences = [e.sentence for e in matches[0].evidence]
    assert sentences == [
        "Rusland wijst drie Nederlandse diplomaten uit",
        "Rusland wijst drie Nederlandse diplomaten uit.",
    ]
    assert matched_words(matches[0].evidence[1]) == ["wijst", "diplomaten", "uit"]


def test_classify_separable_verb_needs_both_parts_in_one_sentence(analyzed):
    theme = build_theme("expulsions", "diplomaat + zetten + uit")
    classifier = ThemeClassifier([theme])
    apart = analyzed("Rusland zet de deur open. Drie diplomaten gaan uit eten.")
    together = analyzed("Rusland zet drie Nederlandse diplomaten uit.")
    assert classifier.evidence(apart, "expulsions") == ()
    [evidence] = classifier.evidence(together, "expulsions")
    assert matched_words(evidence) == ["zet", "diplomaten", "uit"]


def test_classify_vanavond_does_not_match_navo(analyzed):
    classifier = ThemeClassifier([build_theme("nato", "navo")])
    article = analyzed("Vanavond spreekt de minister in de Tweede Kamer over de oorlog.")
    assert classifier.evidence(article, "nato") == ()
    assert classifier.classify(article) == ()


@pytest.mark.parametrize(("text", "word"), [
    ("De NAVO stuurt extra troepen naar de oostflank.", "NAVO"),
    ("De NAVO-landen sturen extra troepen naar de oostflank.", "NAVO-landen"),
])
def test_classify_matches_navo_as_a_word_and_a_hyphen_part(analyzed, text, word):
    classifier = ThemeClassifier([build_theme("nato", "navo")])
    [evidence] = classifier.evidence(analyzed(text), "nato")
    assert matched_words(evidence) == [word]


def test_classify_words_in_a_row_must_stand_together(analyzed):
    classifier = ThemeClassifier([build_theme("png", "persona non grata")])
    assert classifier.evidence(analyzed("De consul is persona non grata verklaard."), "png")
    assert not classifier.evidence(
        analyzed("Die persona werd non-stop gevolgd, een grata gebaar."), "png"
    )


def test_classify_star_matches_lemmas_that_start_with_the_stem(analyzed):
    classifier = ThemeClassifier([build_theme("sanctions", "sanctie*")])
    [evidence] = classifier.evidence(
        analyzed("Brussel presenteert een nieuw sanctiepakket tegen Moskou."), "sanctions"
    )
    assert matched_words(evidence) == ["sanctiepakket"]


def test_classify_ignores_a_passing_mention_of_sanctions(classifier, analyzed):
    mention = ("Eerder legde de Europese Unie al sancties op tegen Rusland, waardoor de Russische "
               "ploeg niet meedoet aan het toernooi.")
    article = analyzed("\n\n".join([*FOOTBALL[:3], mention, *FOOTBALL[3:]]))
    # The mention is found, but one sentence in a long article stays under the threshold.
    sanctions = next(t for t in classifier.themes if t.slug == "sanctions")
    match = classifier.score(article, sanctions)
    assert [e.sentence for e in match.evidence] == [mention]
    assert match.score < sanctions.threshold
    assert classifier.classify(article) == ()


def test_classify_article_about_sanctions_lands_in_sanctions(classifier, analyzed):
    article = analyzed(
        "De Europese Unie legt Rusland nieuwe sancties op. Het sanctiepakket treft banken en "
        "oligarchen. Tegoeden van Russische zakenlieden worden bevroren."
    )
    assert slugs(classifier.classify(article)) == ["sanctions"]


def test_classify_article_matching_nothing_has_no_themes(classifier, analyzed):
    assert classifier.classify(analyzed("\n\n".join(FOOTBALL))) == ()


def test_classify_pinned_front_matter_themes_override_classification(classifier, analyzed):
    article = analyzed(
        f"Rusland heeft drie Nederlandse diplomaten uitgewezen. {EXPULSION_BODY}",
        themes=("sanctions", "no-such-theme"),
    )
    matches = classifier.classify(article)
    assert [(m.slug, m.score, m.pinned) for m in matches] == [("sanctions", 1.0, True)]
    assert matches[0].evidence == ()


def test_classify_pinned_empty_list_means_no_themes(classifier, analyzed):
    article = analyzed(
        f"Rusland heeft drie Nederlandse diplomaten uitgewezen. {EXPULSION_BODY}", themes=()
    )
    assert classifier.classify(article) == ()


def test_classify_uses_the_vocabulary_of_the_article_language(classifier, analyzed):
    english = analyzed(
        "Russia expelled three Dutch diplomats on Monday. The ministry gave no reason.",
        language="en",
    )
    assert slugs(classifier.classify(english)) == ["expulsions"]


def test_classify_lead_title_is_not_counted_twice(analyzed):
    theme = build_theme("expulsions", "diplomaat + uitwijzen")
    classifier = ThemeClassifier([theme])
    article = analyzed("Rusland heeft drie diplomaten uitgewezen. Nederland reageert boos.")
    assert not article.article.title_from_text
    match = classifier.score(article, theme)
    assert [e.sentence for e in match.evidence] == ["Rusland heeft drie diplomaten uitgewezen."]
    assert match.score == round(1.5 / 3 ** 0.5, 3)


def test_classify_headline_counts_as_evidence(analyzed):
    theme = build_theme("expulsions", "diplomaat + uitwijzen")
    classifier = ThemeClassifier([theme])
    article = analyzed(
        "Drie diplomaten uitgewezen\n\nNederland reageert boos. Het kabinet beraadt zich."
    )
    match = classifier.score(article, theme)
    assert [e.sentence for e in match.evidence] == ["Drie diplomaten uitgewezen"]
    assert match.score == round(2.0 / 3 ** 0.5, 3)


def test_classify_orders_themes_strongest_first(analyzed):
    classifier = ThemeClassifier([
        build_theme("weak", "minister"), build_theme("strong", "diplomaat"),
    ])
    article = analyzed(
        "Rusland heeft drie diplomaten uitgewezen. De diplomaten vertrekken morgen. "
        "De minister is boos."
    )
    assert slugs(classifier.classify(article)) == ["strong", "weak"]
