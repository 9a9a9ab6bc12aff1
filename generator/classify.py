"""Put articles in themes by the vocabulary they match, on lemmas, with evidence."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

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
        index = article_index(analyzed)
        for theme in self.themes:
            match = self.score(analyzed, theme, index)
            if match.score >= theme.threshold:
                matches.append(match)
        return tuple(sorted(matches, key=lambda m: (-m.score, m.slug)))

    def score(
        self, analyzed: AnalyzedArticle, theme: Theme, index: ArticleIndex | None = None
    ) -> ThemeMatch:
        """How strongly the article signals the theme: evidence weighted by where it stands,
        normalised by the article's length so that long articles are not favoured."""
        evidence = self.evidence(analyzed, theme.slug, index)
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

    def evidence(
        self, analyzed: AnalyzedArticle, slug: str, index: ArticleIndex | None = None
    ) -> tuple[Evidence, ...]:
        """Every sentence (title included) that matches one of the theme's terms."""
        terms = self._terms[slug].get(analyzed.article.language, ())
        found = []
        for sentence, candidates in index or article_index(analyzed):
            matched: list[str] = []
            tokens: set[int] = set()
            for term in terms:
                hit = match_term(term, candidates)
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


# Per sentence of an article: the sentence and what each of its tokens may match.
ArticleIndex = list[tuple[Sentence, "SentenceCandidates"]]


@dataclass(frozen=True)
class SentenceCandidates:
    """For each token, what a vocabulary word may match: its lemma, its form, and the parts
    of either when hyphenated (`NAVO-landen` → `navo`, `land`, `landen`); and all of them."""

    tokens: tuple[frozenset[str], ...]
    words: frozenset[str]


def article_index(analyzed: AnalyzedArticle) -> ArticleIndex:
    """The sentences a theme may find evidence in, each with its match candidates.

    A title taken from the lead sentence is that sentence: it is not evidence twice.
    """
    title = (analyzed.title,) if analyzed.article.title_from_text else ()
    return [(s, sentence_candidates(s)) for s in (*title, *analyzed.sentences)]


def sentence_candidates(sentence: Sentence) -> SentenceCandidates:
    tokens = []
    for lemma, form in zip(sentence.lemmas, sentence.forms, strict=True):
        words = {lemma, form}
        for word in (lemma, form):
            if "-" in word:
                words.update(p for p in word.split("-") if p)
        tokens.append(frozenset(words))
    return SentenceCandidates(tuple(tokens), frozenset().union(*tokens))


def match_term(term: Term, candidates: SentenceCandidates) -> set[int] | None:
    """The token positions where every part of the term matches, or None."""
    positions: set[int] = set()
    for part in term.parts:
        hit = _match_part(part, candidates)
        if hit is None:
            return None
        positions.update(hit)
    return positions


def _match_part(alternatives, candidates: SentenceCandidates) -> list[int] | None:
    tokens = candidates.tokens
    for words in alternatives:
        # Most words are not in most sentences: rule them out before scanning tokens.
        if not all(_word_matches(word, candidates.words) for word in words):
            continue
        for start in range(len(tokens) - len(words) + 1):
            if all(_word_matches(word, tokens[start + k]) for k, word in enumerate(words)):
                return list(range(start, start + len(words)))
    return None


def _word_matches(word: str, candidates: frozenset[str]) -> bool:
    if word.endswith("*"):
        stem = word[:-1]
        return any(c.startswith(stem) for c in candidates)
    return word in candidates
