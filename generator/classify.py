"""Put articles in themes by the vocabulary they match, on lemmas, with evidence."""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from .model import AnalyzedArticle, Evidence, Sentence, Theme, ThemeMatch
from .themes import Term, parse_term

TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.5
LEAD_SENTENCES = 3
BODY_WEIGHT = 1.0


class ThemeClassifier:
    """The themes with their vocabulary compiled, ready to score articles."""

    def __init__(self, themes: Iterable[Theme]):
        self.themes = tuple(themes)
        self._terms = {
            theme.slug: {lang: tuple(parse_term(t) for t in terms)
                         for lang, terms in theme.vocabulary.items()}
            for theme in self.themes
        }

    def classify(self, analyzed: AnalyzedArticle) -> tuple[ThemeMatch, ...]:
        """The article's themes, strongest first; pinned themes from front matter win."""
        pinned = analyzed.article.pinned_themes
        if pinned is not None:
            known = {t.slug for t in self.themes}
            return tuple(
                ThemeMatch(slug, 1.0, self.evidence(analyzed, slug), pinned=True)
                for slug in pinned if slug in known
            )
        matches = []
        for theme in self.themes:
            match = self.score(analyzed, theme)
            if match.score >= theme.threshold:
                matches.append(match)
        return tuple(sorted(matches, key=lambda m: (-m.score, m.slug)))

    def score(self, analyzed: AnalyzedArticle, theme: Theme) -> ThemeMatch:
        """How strongly the article signals the theme: evidence weighted by where it stands,
        normalised by the article's length so that long articles are not favoured."""
        evidence = self.evidence(analyzed, theme.slug)
        texts = {e.sentence for e in evidence}
        total = 0.0
        if analyzed.article.title_from_text and analyzed.title.text in texts:
            total += TITLE_WEIGHT
        body = analyzed.body_sentences
        for sentence in analyzed.sentences:
            if sentence.text in texts:
                lead = not sentence.is_heading and sentence in body[:LEAD_SENTENCES]
                total += LEAD_WEIGHT if lead else BODY_WEIGHT
        score = total / math.sqrt(len(body) + 1)
        return ThemeMatch(theme.slug, round(score, 3), evidence)

    def evidence(self, analyzed: AnalyzedArticle, slug: str) -> tuple[Evidence, ...]:
        """Every sentence (title included) that matches one of the theme's terms."""
        terms = self._terms[slug].get(analyzed.article.language, ())
        found = []
        # A title taken from the lead sentence is that sentence: it is not evidence twice.
        title = (analyzed.title,) if analyzed.article.title_from_text else ()
        for sentence in (*title, *analyzed.sentences):
            matched: list[str] = []
            tokens: set[int] = set()
            for term in terms:
                hit = match_term(term, sentence)
                if hit is not None:
                    matched.append(term.text)
                    tokens.update(hit)
            if matched:
                spans = tuple(
                    (sentence.offsets[i], sentence.offsets[i] + len(sentence.forms[i]))
                    for i in sorted(tokens)
                )
                found.append(Evidence(sentence.text, tuple(matched), spans))
        return tuple(found)


def match_term(term: Term, sentence: Sentence) -> set[int] | None:
    """The token positions where every part of the term matches, or None."""
    candidates = token_candidates(sentence)
    positions: set[int] = set()
    for part in term.parts:
        hit = _match_part(part, candidates)
        if hit is None:
            return None
        positions.update(hit)
    return positions


@lru_cache(maxsize=4096)
def token_candidates(sentence: Sentence) -> tuple[frozenset[str], ...]:
    """For each token, what a vocabulary word may match: its lemma, its form, and the parts
    of either when hyphenated (`NAVO-landen` → `navo`, `land`, `landen`)."""
    result = []
    for lemma, form in zip(sentence.lemmas, sentence.forms, strict=True):
        words = {lemma, form}
        for word in (lemma, form):
            if "-" in word:
                words.update(p for p in word.split("-") if p)
        result.append(frozenset(words))
    return tuple(result)


def _match_part(alternatives, candidates: tuple[frozenset[str], ...]) -> list[int] | None:
    n = len(candidates)
    for words in alternatives:
        for start in range(n - len(words) + 1):
            if all(_word_matches(word, candidates[start + k]) for k, word in enumerate(words)):
                return list(range(start, start + len(words)))
    return None


def _word_matches(word: str, candidates: frozenset[str]) -> bool:
    if word.endswith("*"):
        stem = word[:-1]
        return any(c.startswith(stem) for c in candidates)
    return word in candidates
