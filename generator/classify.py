"""Put articles in themes by the vocabulary they match, on lemmas, with evidence.

Each sentence of an article (its headline included) is matched against every theme's terms at
once: an inverted index from vocabulary word to terms picks the few terms whose words occur in
the sentence, and only those are checked in full. A sentence that also matches one of a theme's
`exclude` terms is no evidence for that theme; an exclude term in the headline, or in as many
sentences as there is evidence, rules the theme out for the whole article. A sentence that
matches only one of a theme's `support` terms backs up evidence found elsewhere in the article,
at half weight, and is nothing in an article without such evidence.

An article's score is its evidence weighted by where it stands (headline, lead, body) and
normalised by the article's length. An article whose only evidence is a passing mention deep in
the body is not in the theme, whatever its score, unless its headline or lead backs that evidence
up (a shipment `onderschept` in the lead, the export ban it broke in paragraph six).
"""

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
# A supporting sentence counts for this share of the weight of evidence where it stands.
SUPPORT_FACTOR = 0.5
# Without evidence (or support) in the headline or the lead, an article needs evidence in at
# least this many sentences, and evidence or support in this share of them: a theme is what the
# article is about, not one word.
MIN_BODY_EVIDENCE = 2
MIN_BODY_SHARE = 0.15


@dataclass(frozen=True)
class _Entry:
    """One compiled term of one theme: from its vocabulary, its exclude or its support list."""

    slug: str
    term: Term
    kind: str  # VOCABULARY, EXCLUDE or SUPPORT
    # Per part, its one-word alternatives as a set and its other alternatives: a quick test
    # of whether the term may match a sentence at all.
    quick: tuple[tuple[frozenset[str], tuple[tuple[str, ...], ...]], ...] = ()

    @classmethod
    def compile(cls, slug: str, text: str, kind: str) -> _Entry:
        term = parse_term(text)
        quick = tuple(
            (frozenset(a[0] for a in part if len(a) == 1 and not a[0].endswith("*")),
             tuple(a for a in part if len(a) > 1 or a[0].endswith("*")))
            for part in term.parts
        )
        return cls(slug, term, kind, quick)


VOCABULARY, EXCLUDE, SUPPORT = "vocabulary", "exclude", "support"


class _Vocabulary:
    """Every theme's terms in one language, indexed by the words that can trigger them."""

    def __init__(self, entries: list[_Entry]):
        self.entries = tuple(entries)
        self.by_word: dict[str, set[int]] = {}
        self.by_stem: dict[str, set[int]] = {}
        # The other `*` words (`exportverbod + sanctie*`) trigger nothing, but the words of a
        # sentence that they match must be found all the same.
        other_stems: set[str] = set()
        # Every part of a term must match, so a term is indexed by its first part alone
        # (usually the rarer noun, `diplomaat|ambassadeur`), and by the first word of each
        # alternative in it: common words in later parts (`tegen`) trigger nothing.
        for number, entry in enumerate(self.entries):
            for words in entry.term.parts[0]:
                word = words[0]
                if word.endswith("*"):
                    self.by_stem.setdefault(word[:-1], set()).add(number)
                else:
                    self.by_word.setdefault(word, set()).add(number)
            other_stems.update(word[:-1] for part in entry.term.parts
                               for words in part for word in words if word.endswith("*"))
        # The stems by their first few letters: a word is checked against the few stems that
        # share its opening, not against all of them.
        self._key = min((len(stem) for stem in other_stems), default=1)
        self._stems: dict[str, tuple[str, ...]] = {}
        for stem in sorted(other_stems):
            self._stems[stem[:self._key]] = (*self._stems.get(stem[:self._key], ()), stem)

    def candidates(self, words: frozenset[str]) -> tuple[set[int], frozenset[str]]:
        """The terms that may match a sentence with these words, and the words that match
        a prefix (`sanctie*`)."""
        found: set[int] = set()
        for word in words & self.by_word.keys():
            found |= self.by_word[word]
        stems, key = self._stems, self._key
        stemmed = frozenset(
            word for word in words
            if word[:key] in stems and any(word.startswith(s) for s in stems[word[:key]])
        )
        for word in stemmed:
            for stem, numbers in self.by_stem.items():
                if word.startswith(stem):
                    found |= numbers
        return found, stemmed


class ThemeClassifier:
    """The themes with their vocabulary compiled, ready to score articles."""

    def __init__(self, themes: Iterable[Theme]):
        self.themes = tuple(themes)
        entries: dict[str, list[_Entry]] = {}
        for theme in self.themes:
            for kind, lists in ((VOCABULARY, theme.vocabulary), (EXCLUDE, theme.exclude),
                                (SUPPORT, theme.support)):
                for lang, terms in lists.items():
                    entries.setdefault(lang, []).extend(
                        _Entry.compile(theme.slug, t, kind) for t in terms)
        self._vocabularies = {lang: _Vocabulary(found) for lang, found in entries.items()}

    def classify(self, analyzed: AnalyzedArticle) -> tuple[ThemeMatch, ...]:
        """The article's themes, main theme first; pinned themes from front matter win.

        The main theme is the one the headline names (the first named, if it names two), else
        the one the lead speaks of, else the strongest: a story about an expulsion that ends on
        sanctions is an expulsion story with sanctions, whichever has more sentences."""
        pinned = analyzed.article.pinned_themes
        if pinned is not None:
            known = {t.slug for t in self.themes}
            return tuple(
                ThemeMatch(slug, 1.0, self.evidence(analyzed, slug), pinned=True)
                for slug in pinned if slug in known
            )
        found = self._theme_evidence(analyzed)
        if not found:
            return ()
        weights = evidence_weights(analyzed)
        prominent = {text for text, weight in weights.items() if weight > BODY_WEIGHT}
        matches = []
        for theme in self.themes:
            evidence = found.get(theme.slug, ())
            match = _score(analyzed, theme.slug, evidence, weights)
            if match.score >= theme.threshold and _is_about(analyzed, evidence, prominent):
                matches.append(match)
        headline = analyzed.title.text if analyzed.has_headline else None
        return tuple(sorted(matches, key=lambda m: (
            -_standing(m, weights), _first_in(m, headline), -m.score, m.slug)))

    def score(self, analyzed: AnalyzedArticle, theme: Theme) -> ThemeMatch:
        """How strongly the article signals the theme: evidence weighted by where it stands,
        normalised by the article's length so that long articles are not favoured."""
        evidence = self.evidence(analyzed, theme.slug)
        return _score(analyzed, theme.slug, evidence, evidence_weights(analyzed))

    def evidence(self, analyzed: AnalyzedArticle, slug: str) -> tuple[Evidence, ...]:
        """Every sentence (headline included) that matches one of the theme's terms and none
        of its exclude terms; when there is one, the sentences that match a support term."""
        return self._theme_evidence(analyzed).get(slug, ())

    def _theme_evidence(self, analyzed: AnalyzedArticle) -> dict[str, tuple[Evidence, ...]]:
        vocabulary = self._vocabularies.get(analyzed.article.language)
        if vocabulary is None:
            return {}
        found: dict[str, list[Evidence]] = {}
        cued: dict[str, int] = {}
        ruled_out: set[str] = set()
        headline = analyzed.title if analyzed.has_headline else None
        for sentence in evidence_sentences(analyzed):
            words = sentence_words(sentence)
            numbers, stemmed = vocabulary.candidates(words)
            if not numbers:
                continue
            hits: dict[str, list[tuple[str, list[int]]]] = {}
            backing: dict[str, list[tuple[str, list[int]]]] = {}
            excluded: set[str] = set()
            tokens = None
            for number in sorted(numbers):
                entry = vocabulary.entries[number]
                if entry.slug in excluded or entry.kind == SUPPORT and entry.slug in hits:
                    continue
                if not _may_match(entry, words, stemmed):
                    continue
                tokens = tokens or token_words(sentence)
                positions = match_term(entry.term, tokens, words, stemmed)
                if positions is None:
                    continue
                if entry.kind == EXCLUDE:
                    excluded.add(entry.slug)
                else:
                    found_in = hits if entry.kind == VOCABULARY else backing
                    found_in.setdefault(entry.slug, []).append((entry.term.text, positions))
            for slug in excluded:
                cued[slug] = cued.get(slug, 0) + 1
            if sentence is headline:
                # A negative cue in the headline says what the whole article is about.
                ruled_out |= excluded
            for slug in (hits.keys() | backing.keys()) - excluded:
                matched = hits.get(slug) or backing[slug]
                marked = sorted({i for _, positions in matched for i in positions})
                spans = tuple((sentence.offsets[i], sentence.offsets[i] + len(sentence.forms[i]))
                              for i in marked)
                found.setdefault(slug, []).append(Evidence(
                    sentence.text, tuple(text for text, _ in matched), spans,
                    supporting=slug not in hits))
        # So do negative cues in as many sentences as there is evidence: an article about a
        # football club's `sanctie` says KNVB, tuchtcommissie and wedstrijd more than once.
        themes = {}
        for slug, evidence in found.items():
            strong = sum(not e.supporting for e in evidence)
            if strong and slug not in ruled_out and cued.get(slug, 0) < strong:
                themes[slug] = tuple(evidence)
        return themes


def evidence_sentences(analyzed: AnalyzedArticle) -> tuple[Sentence, ...]:
    """The sentences a theme may find evidence in: the headline, then the text."""
    title = (analyzed.title,) if analyzed.has_headline else ()
    return (*title, *analyzed.sentences)


def sentence_words(sentence: Sentence) -> frozenset[str]:
    """What a vocabulary word may match in a sentence: lemmas and forms, and the parts of
    hyphenated ones (`NAVO-landen` → `navo`, `landen`)."""
    words = {*sentence.lemmas, *sentence.forms}
    if "-" in sentence.text:
        words.update(p for w in list(words) if "-" in w for p in w.split("-") if p)
    return frozenset(words)


def token_words(sentence: Sentence) -> tuple[frozenset[str], ...]:
    """Per token, what a vocabulary word may match: its lemma, its form and their parts."""
    tokens = []
    for lemma, form in zip(sentence.lemmas, sentence.forms, strict=True):
        words = {lemma, form}
        for word in (lemma, form):
            if "-" in word:
                words.update(p for p in word.split("-") if p)
        tokens.append(frozenset(words))
    return tuple(tokens)


def _may_match(entry: _Entry, words: frozenset[str], stemmed: frozenset[str]) -> bool:
    """Whether every part has an alternative whose words all occur in the sentence."""
    return all(
        not singles.isdisjoint(words)
        or any(all(_word_in(w, words, stemmed) for w in alternative) for alternative in others)
        for singles, others in entry.quick
    )


def _word_in(word: str, words: frozenset[str], stemmed: frozenset[str]) -> bool:
    """Whether a vocabulary word occurs in a sentence: its words, and those that match a stem."""
    if word.endswith("*"):
        return any(c.startswith(word[:-1]) for c in stemmed)
    return word in words


def match_term(
    term: Term, tokens: tuple[frozenset[str], ...], words: frozenset[str], stemmed: frozenset[str],
) -> list[int] | None:
    """The token positions where every part of the term matches, or None. `words` and
    `stemmed` (what the whole sentence may match) rule alternatives out before a scan."""
    positions: list[int] = []
    for part in term.parts:
        hit = _match_part(part, tokens, words, stemmed)
        if hit is None:
            return None
        positions.extend(hit)
    return positions


def _match_part(alternatives, tokens, words, stemmed) -> list[int] | None:
    for alternative in alternatives:
        if not all(_word_in(w, words, stemmed) for w in alternative):
            continue
        for start in range(len(tokens) - len(alternative) + 1):
            if all(_word_matches(word, tokens[start + k]) for k, word in enumerate(alternative)):
                return list(range(start, start + len(alternative)))
    return None


def _word_matches(word: str, candidates: frozenset[str]) -> bool:
    """Whether a vocabulary word matches one token's candidates."""
    if word.endswith("*"):
        stem = word[:-1]
        return any(c.startswith(stem) for c in candidates)
    return word in candidates


def evidence_weights(analyzed: AnalyzedArticle) -> dict[str, float]:
    """The weight of evidence in each sentence: headline, lead sentence, or body."""
    weights: dict[str, float] = {}
    lead = 0
    for sentence in analyzed.sentences:
        is_lead = not sentence.is_heading and lead < LEAD_SENTENCES
        lead += not sentence.is_heading
        weights.setdefault(sentence.text, LEAD_WEIGHT if is_lead else BODY_WEIGHT)
    if analyzed.has_headline:
        weights[analyzed.title.text] = TITLE_WEIGHT
    return weights


def _score(
    analyzed: AnalyzedArticle, slug: str, evidence: tuple[Evidence, ...],
    weights: dict[str, float],
) -> ThemeMatch:
    total = sum(weights.get(e.sentence, BODY_WEIGHT) * (SUPPORT_FACTOR if e.supporting else 1)
                for e in evidence)
    return ThemeMatch(slug, round(total / math.sqrt(len(analyzed.body_sentences) + 1), 3),
                      evidence)


def _standing(match: ThemeMatch, weights: dict[str, float]) -> int:
    """Where a theme's evidence stands: 2 in the headline, 1 in the lead (or support in the
    headline or lead), 0 in the body only."""
    standing = 0
    for evidence in match.evidence:
        weight = weights.get(evidence.sentence, BODY_WEIGHT)
        if weight >= TITLE_WEIGHT and not evidence.supporting:
            return 2
        if weight > BODY_WEIGHT:
            standing = 1
    return standing


def _first_in(match: ThemeMatch, headline: str | None) -> int:
    """Where in the headline the theme's first matched word stands (after all if it is not
    there)."""
    starts = [start for e in match.evidence if e.sentence == headline and not e.supporting
              for start, _ in e.spans]
    return min(starts, default=len(headline or ""))


def _is_about(
    analyzed: AnalyzedArticle, evidence: tuple[Evidence, ...], prominent: set[str]
) -> bool:
    """Whether the evidence says what the article is about: it, or support backing it, stands
    in the headline or the lead, or the theme runs through the article."""
    if any(e.sentence in prominent for e in evidence):
        return True
    strong = sum(not e.supporting for e in evidence)
    share = len(evidence) / max(len(analyzed.body_sentences), 1)
    return strong >= MIN_BODY_EVIDENCE and share >= MIN_BODY_SHARE
