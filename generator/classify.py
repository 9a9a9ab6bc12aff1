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

A term matches as a reader reads it, whatever the hyphens: `cyber-attack`, `cyber attack` and
`cyberattack` in a term each match all three in a text, though spaCy splits English words on a
hyphen (`cyber`, `-`, `attack`) and keeps Dutch ones whole (`NAVO-top`). A term is compiled into
its spellings (each hyphen or space kept apart or closed up); a sentence offers, besides each
token's lemma and form, its hyphenated words closed up and the tokens in a row that make one
vocabulary word (`cyber attack` → `cyberattack`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from spacy.util import get_lang_class

from .analyze import Analyzer, lemma_of
from .model import (
    AnalyzedArticle,
    Block,
    CleanArticle,
    Evidence,
    MissReason,
    NearMiss,
    Sentence,
    Theme,
    ThemeMatch,
)
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
    # Per part, every spelling of its alternatives (see `spellings`).
    parts: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # Per part, its one-word alternatives as a set, the words of each of its other alternatives
    # without a `*` as a set, and the alternatives with one: a quick test of whether the term
    # may match a sentence at all.
    quick: tuple[tuple[frozenset[str], tuple[frozenset[str], ...], tuple[tuple[str, ...], ...]],
                 ...] = ()

    @classmethod
    def compile(cls, slug: str, text: str, kind: str) -> _Entry:
        term = parse_term(text)
        parts = tuple(
            tuple(dict.fromkeys(s for words in part for s in spellings(words)))
            for part in term.parts
        )
        quick = tuple(
            (frozenset(a[0] for a in part if len(a) == 1 and not _has_stem(a)),
             tuple(frozenset(a) for a in part if len(a) > 1 and not _has_stem(a)),
             tuple(a for a in part if _has_stem(a)))
            for part in parts
        )
        return cls(slug, term, kind, parts, quick)


VOCABULARY, EXCLUDE, SUPPORT = "vocabulary", "exclude", "support"

# Unicode's hyphen and non-breaking hyphen are read as ASCII's, its right single quote
# (`Russia’s`, `zo’n`) as the apostrophe that a term is written with.
_MARKS = str.maketrans("\u2010\u2011\u2019", "--'")
_UNICODE_MARKS = re.compile("[\u2010\u2011\u2019]")
# An alternative with more hyphens and spaces than this is spelled only apart and closed up.
MAX_SPELLING_GAPS = 4
# A compound in a text spans at most this many tokens: `state-of-the-art`.
MAX_COMPOUND_TOKENS = 4
# What stands between two tokens of one compound: nothing (`Russia's`, `5G`), a hyphen
# (spaCy splits English words on it), or, between two tokens only, one space (`cyber attack`).
_HYPHEN_GAPS = "-\u2010\u2011"
_SPACE_GAPS = " \u00a0"
_JOINING_MARKS = re.compile("[-\u2010\u2011'\u2019]")
_NO_COMPOUNDS: dict[int, tuple[tuple[str, int], ...]] = {}
# A compound's opening shorter than this is not looked for at the start of a word; where it is
# found, the rest of the word must start with the same letters as the compound's last piece.
MIN_OPENING = 4
HEAD_LETTERS = 3


def spellings(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The ways a reader may find these words written: each hyphen or space between their
    pieces kept apart or closed up. `cyber-attack`, `cyber attack` and `cyberattack` all give
    (`cyber`, `attack`) and (`cyberattack`,); a hyphen kept in the text matches either (spaCy
    splits English words on it, and a Dutch word written with one is also read closed up)."""
    pieces = [piece for word in words for piece in word.split("-") if piece]
    # A `*` ends a word: nothing is closed up after it.
    gaps = [i for i in range(len(pieces) - 1) if not pieces[i].endswith("*")]
    if len(gaps) > MAX_SPELLING_GAPS:
        choices: list[tuple[int, ...]] = [(), tuple(gaps)]
    else:
        choices = [c for n in range(len(gaps) + 1) for c in itertools.combinations(gaps, n)]
    found = []
    for closed in choices:
        spelled = [pieces[0]]
        for i, piece in enumerate(pieces[1:]):
            if i in closed:
                spelled[-1] += piece
            else:
                spelled.append(piece)
        found.append(tuple(spelled))
    return tuple(dict.fromkeys(found))


def openings(words: tuple[str, ...]) -> set[tuple[str, str]]:
    """The (opening, compound) pairs of these words closed up: `anti-russisch` gives
    (`anti`, `antirussisch`), so that `antirussische`, which no lemmatizer knows, is read as
    `anti` + the lemma of `russische`."""
    pieces = [piece for word in words for piece in word.split("-") if piece]
    found = set()
    for start in range(len(pieces)):
        for end in range(start + 2, len(pieces) + 1):
            run = pieces[start:end]
            if any(p.endswith("*") for p in run[:-1]):
                break
            opening = "".join(run[:-1])
            if len(opening) >= MIN_OPENING and not run[-1].endswith("*"):
                found.add((opening, "".join(run)))
    return found


class _Reading:
    """What a vocabulary word may match in one sentence: its words, and per token (worked
    out only when a term may match) its lemma, its form, their hyphen parts and both closed
    up; and the compounds that start at a token, with the number of tokens they span
    (`cyber attack` → `cyberattack`, 2)."""

    def __init__(self, lemmas: tuple[str, ...], forms: tuple[str, ...], words: frozenset[str],
                 stemmed: frozenset[str], compounds: dict[int, tuple[tuple[str, int], ...]]):
        self.lemmas = lemmas
        self.forms = forms
        self.words = words
        self.stemmed = stemmed  # the words that match a `*` stem of the vocabulary
        self.compounds = compounds
        self._tokens: tuple[frozenset[str], ...] | None = None

    @property
    def tokens(self) -> tuple[frozenset[str], ...]:
        if self._tokens is None:
            self._tokens = tuple(_token_words(lemma, form) for lemma, form
                                 in zip(self.lemmas, self.forms, strict=True))
        return self._tokens


class _Vocabulary:
    """Every theme's terms in one language, indexed by the words that can trigger them."""

    def __init__(self, entries: list[_Entry], language: str = "nl"):
        self.entries = tuple(entries)
        self.language = language
        self.by_word: dict[str, set[int]] = {}
        self.by_stem: dict[str, set[int]] = {}
        # Every word of every spelling of every term, and every `*` stem: what a compound in
        # a text must be to matter.
        self.known: set[str] = set()
        stems: set[str] = set()
        found_openings: set[tuple[str, str]] = set()
        # Every part of a term must match, so a term is indexed by its first part alone
        # (usually the rarer noun, `diplomaat|ambassadeur`), and by the first word of each
        # alternative in it: common words in later parts (`tegen`) trigger nothing.
        for number, entry in enumerate(self.entries):
            for words in entry.parts[0]:
                word = words[0]
                if word.endswith("*"):
                    self.by_stem.setdefault(word[:-1], set()).add(number)
                else:
                    self.by_word.setdefault(word, set()).add(number)
            for part in entry.parts:
                for words in part:
                    for word in words:
                        if word.endswith("*"):
                            stems.add(word[:-1])
                        else:
                            self.known.add(word)
            for part in entry.term.parts:
                for words in part:
                    found_openings |= openings(words)
        # The stems and the openings by their first few letters: a word is checked against
        # the few that share its first letters, not against all of them.
        self._key = min((len(stem) for stem in stems), default=MIN_OPENING)
        self._key = min(self._key, MIN_OPENING)
        self._by_letters: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
        for stem in sorted(stems):
            self._by_letters.setdefault(stem[:self._key], ([], []))[0].append(stem)
        for opening, compound in sorted(found_openings):
            self._by_letters.setdefault(opening[:self._key], ([], []))[1].append(
                (opening, compound))
        # What a compound written apart may begin with: every opening of a vocabulary word.
        self._prefixes = frozenset(
            word[:end] for word in (*self.known, *stems) for end in range(1, len(word)))
        self._stop_words = frozenset(get_lang_class(language).Defaults.stop_words)
        self._openers = self._prefixes - self._stop_words
        self._word_readings: dict[str, tuple[bool, tuple[str, ...]]] = {}  # `_word_reading`
        self._triggers = frozenset(self.by_word)  # as a set, which a sentence's words meet fast

    def _is_vocabulary(self, word: str, opening: int) -> bool:
        """Whether a compound is a vocabulary word, or matches a `*` stem that reaches past its
        `opening` characters (`asiel` + `kreeg` is no `asiel*` word that `asiel` is not)."""
        if word in self.known:
            return True
        stems = self._by_letters.get(word[:self._key], ((), ()))[0]
        return any(len(stem) > opening and word.startswith(stem) for stem in stems)

    def read(self, sentence: Sentence) -> _Reading:
        """What the vocabulary may match in a sentence: its words and the compounds in it."""
        text, lemmas, forms = sentence.text, sentence.lemmas, sentence.forms
        if _UNICODE_MARKS.search(text):
            forms = tuple(form.translate(_MARKS) for form in forms)
            lemmas = tuple(lemma.translate(_MARKS) for lemma in lemmas)
        words = {*lemmas, *forms}
        if "-" in text or forms is not sentence.forms:
            for word in [w for w in words if "-" in w]:
                words |= _hyphen_words(word)
        compounds: dict[int, list[tuple[str, int]]] = {}
        stemmed = []
        closed_up: dict[str, tuple[str, ...]] = {}  # word → the compounds it is read as
        by_letters, key = self._by_letters, self._key
        for word in [w for w in words if w[:key] in by_letters]:
            is_stemmed, closed = self._word_reading(word)
            if is_stemmed:
                stemmed.append(word)
            if closed:
                closed_up[word] = closed
        if closed_up:
            for i, form in enumerate(forms):
                for compound in closed_up.get(form, ()):
                    compounds.setdefault(i, []).append((compound, 1))
        # A little word opens a compound only when a hyphen or an apostrophe joins it to the
        # next: `so-called`, `don't`.
        starts = words & (self._prefixes if _JOINING_MARKS.search(text) else self._openers)
        if starts:
            self._compounds_apart(text, lemmas, forms, sentence.offsets, starts, compounds)
        if compounds:
            for found_at in compounds.values():
                for compound, _ in found_at:
                    words.add(compound)
                    if self._is_vocabulary(compound, 0) and compound not in self.known:
                        stemmed.append(compound)
        return _Reading(lemmas, forms, frozenset(words), frozenset(stemmed),
                        {i: tuple(found) for i, found in compounds.items()} if compounds
                        else _NO_COMPOUNDS)

    def _word_reading(self, word: str) -> tuple[bool, tuple[str, ...]]:
        """Whether a word that shares its first letters with a stem or an opening matches a
        `*` stem, and the compounds it is read as: worked out once per word, as a few thousand
        words (`niet`, `over`, `land`) come back in sentence after sentence."""
        reading = self._word_readings.get(word)
        if reading is None:
            found = self._by_letters[word[:self._key]]
            closed = []
            # A word written closed up that no lemmatizer knows: `antirussische` is `anti` and
            # the lemma of `russische`.
            for opening, compound in found[1]:
                # Inflection changes the end of a word, not its start.
                rest = word[len(opening):]
                if (word.startswith(opening) and rest[:HEAD_LETTERS] ==
                        compound[len(opening):len(opening) + HEAD_LETTERS]
                        and compound == opening + lemma_of(rest, self.language)):
                    closed.append(compound)
            reading = (any(word.startswith(stem) for stem in found[0]), tuple(closed))
            self._word_readings[word] = reading
        return reading

    def _compounds_apart(self, text: str, lemmas: tuple[str, ...], forms: tuple[str, ...],
                         offsets: tuple[int, ...], starts: set[str],
                         compounds: dict[int, list[tuple[str, int]]]) -> None:
        """Add the tokens in a row that a reader reads as one vocabulary word: `cyber-attack`
        (which spaCy splits in English), `Russia's`, `5G`, and two words apart,
        `cyber attack`, unless one is a little word of the language: `land de` is no
        `landde`, `dag en` no `dagen`."""
        count, stop, prefixes = len(forms), self._stop_words, self._prefixes
        for i in [i for i, form in enumerate(forms[:-1]) if form in starts]:
            closed = forms[i].replace("-", "")
            end = offsets[i] + len(forms[i])
            for j in range(i + 1, min(count, i + MAX_COMPOUND_TOKENS)):
                following = offsets[j]
                tight = following == end or following == end + 1 and text[end] in _HYPHEN_GAPS
                spaced = (not tight and j == i + 1 and following == end + 1
                          and text[end] in _SPACE_GAPS
                          and forms[i] not in stop and forms[j] not in stop)
                if not (tight or spaced):
                    break
                head = forms[j].replace("-", "")
                for compound in {closed + head, closed + lemmas[j].replace("-", "")}:
                    if self._is_vocabulary(compound, len(closed)):
                        compounds.setdefault(i, []).append((compound, j - i + 1))
                closed += head
                end = offsets[j] + len(forms[j])
                if spaced or closed not in prefixes:
                    break

    def candidates(self, reading: _Reading) -> set[int]:
        """The terms that may match a sentence with these words."""
        found: set[int] = set()
        for word in reading.words & self._triggers:
            found |= self.by_word[word]
        for word in reading.stemmed:
            for stem, numbers in self.by_stem.items():
                if word.startswith(stem):
                    found |= numbers
        return found


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
        self._vocabularies = {lang: _Vocabulary(found, lang)
                              for lang, found in entries.items()}

    def classify(self, analyzed: AnalyzedArticle) -> tuple[ThemeMatch, ...]:
        """The article's themes, main theme first; pinned themes from front matter win.

        The main theme is the one the headline names (the first named, if it names two), else
        the one the lead speaks of, else the strongest: a story about an expulsion that ends on
        sanctions is an expulsion story with sanctions, whichever has more sentences."""
        pinned = analyzed.article.pinned_themes
        if pinned is not None:
            known = {t.slug for t in self.themes}
            found = self._theme_evidence(analyzed, _Layout.of(analyzed)) if pinned else {}
            return tuple(
                ThemeMatch(slug, 1.0, found.get(slug, ()), pinned=True)
                for slug in pinned if slug in known
            )
        layout = _Layout.of(analyzed)
        return self._matches(layout, self._collect(analyzed, layout))

    def classify_with_near_misses(
        self, analyzed: AnalyzedArticle
    ) -> tuple[tuple[ThemeMatch, ...], tuple[NearMiss, ...]]:
        """The article's themes (`classify`) and how near it came to the others
        (`near_misses`), from one pass over its sentences."""
        if analyzed.article.pinned_themes is not None:
            return self.classify(analyzed), ()
        layout = _Layout.of(analyzed)
        collected = self._collect(analyzed, layout)
        matches = self._matches(layout, collected)
        return matches, _near_misses(self, layout, collected, matches)

    def _matches(self, layout: _Layout, collected: _Collected) -> tuple[ThemeMatch, ...]:
        """The themes of an article that is not pinned to any, main theme first."""
        found = self._found(collected)
        if not found:
            return ()
        matches = []
        for theme in self.themes:
            evidence = found.get(theme.slug, ())
            match = _score(theme.slug, evidence, layout)
            if match.score >= theme.threshold and _is_about(layout, evidence):
                matches.append(match)
        headline = layout.headline.text if layout.headline is not None else None
        return tuple(sorted(matches, key=lambda m: (
            -_standing(m, layout.weights), _first_in(m, headline), -m.score, m.slug)))

    def score(self, analyzed: AnalyzedArticle, theme: Theme) -> ThemeMatch:
        """How strongly the article signals the theme: evidence weighted by where it stands,
        normalised by the article's length so that long articles are not favoured."""
        layout = _Layout.of(analyzed)
        evidence = self._theme_evidence(analyzed, layout).get(theme.slug, ())
        return _score(theme.slug, evidence, layout)

    def evidence(self, analyzed: AnalyzedArticle, slug: str) -> tuple[Evidence, ...]:
        """Every sentence (headline included) that matches one of the theme's terms and none
        of its exclude terms; when there is one, the sentences that match a support term."""
        return self._theme_evidence(analyzed, _Layout.of(analyzed)).get(slug, ())

    def near_misses(self, analyzed: AnalyzedArticle,
                    matches: tuple[ThemeMatch, ...] | None = None) -> tuple[NearMiss, ...]:
        """For each theme the article is not in, how near it came (see `near_misses`)."""
        return near_misses(self, analyzed, matches)

    def _theme_evidence(self, analyzed: AnalyzedArticle, layout: _Layout
                        ) -> dict[str, tuple[Evidence, ...]]:
        return self._found(self._collect(analyzed, layout))

    @staticmethod
    def _found(collected: _Collected) -> dict[str, tuple[Evidence, ...]]:
        """Per theme, its evidence, unless an exclude term rules the theme out."""
        # So do negative cues in as many sentences as there is evidence: an article about a
        # football club's `sanctie` says KNVB, tuchtcommissie and wedstrijd more than once.
        themes = {}
        for slug, evidence in collected.found.items():
            strong = sum(not e.supporting for e in evidence)
            if (strong and slug not in collected.headline_cues
                    and collected.cued.get(slug, 0) < strong):
                themes[slug] = tuple(evidence)
        return themes

    def _collect(self, analyzed: AnalyzedArticle, layout: _Layout) -> _Collected:
        """Per theme, the evidence and support in each sentence that no exclude term cancels,
        and what the exclude terms did."""
        collected = _Collected()
        vocabulary = self._vocabularies.get(analyzed.article.language)
        if vocabulary is None:
            return collected
        found = collected.found
        headline = layout.headline
        # The headline, then the text (`evidence_sentences`).
        sentences = analyzed.sentences if headline is None else (headline, *analyzed.sentences)
        for sentence in sentences:
            reading = vocabulary.read(sentence)
            numbers = vocabulary.candidates(reading)
            if not numbers:
                continue
            hits: dict[str, list[tuple[str, list[int]]]] = {}
            backing: dict[str, list[tuple[str, list[int]]]] = {}
            excluded: dict[str, str] = {}  # slug → the words an exclude term matched
            for number in sorted(numbers):
                entry = vocabulary.entries[number]
                if entry.slug in excluded or entry.kind == SUPPORT and entry.slug in hits:
                    continue
                if not _may_match(entry, reading):
                    continue
                positions = match_term(entry, reading)
                if positions is None:
                    continue
                if entry.kind == EXCLUDE:
                    excluded[entry.slug] = " ".join(
                        sentence.text[sentence.offsets[i]:sentence.offsets[i] + len(
                            sentence.forms[i])] for i in sorted(set(positions)))
                else:
                    found_in = hits if entry.kind == VOCABULARY else backing
                    found_in.setdefault(entry.slug, []).append((entry.term.text, positions))
            for slug, cue in excluded.items():
                collected.cued[slug] = collected.cued.get(slug, 0) + 1
                if slug in hits:
                    collected.cancelled[slug] = collected.cancelled.get(slug, 0) + 1
                    collected.cues.setdefault(slug, {})[cue] = None
                if sentence is headline:
                    # A negative cue in the headline says what the whole article is about.
                    collected.headline_cues[slug] = cue
            for slug in (hits.keys() | backing.keys()) - excluded.keys():
                matched = hits.get(slug) or backing[slug]
                marked = sorted({i for _, positions in matched for i in positions})
                spans = tuple((sentence.offsets[i], sentence.offsets[i] + len(sentence.forms[i]))
                              for i in marked)
                found.setdefault(slug, []).append(Evidence(
                    sentence.text, tuple(text for text, _ in matched), spans,
                    supporting=slug not in hits))
        return collected


@dataclass
class _Collected:
    """What one pass over an article's sentences found, per theme slug."""

    found: dict[str, list[Evidence]] = field(default_factory=dict)
    cued: dict[str, int] = field(default_factory=dict)  # sentences with an exclude term
    cancelled: dict[str, int] = field(default_factory=dict)  # evidence they cancelled
    cues: dict[str, dict[str, None]] = field(default_factory=dict)  # the words that did
    headline_cues: dict[str, str] = field(default_factory=dict)  # exclude words there


# The rules that keep an article out of a theme, in the order they are told (`MissReason`).
NO_EVIDENCE, CANCELLED, HEADLINE_CUE, OUTNUMBERED = (
    "no_evidence", "cancelled", "headline_cue", "outnumbered")
FEW_SENTENCES, LOW_SHARE, BELOW_THRESHOLD = "few_sentences", "low_share", "below_threshold"


def near_misses(classifier: ThemeClassifier, analyzed: AnalyzedArticle,
                matches: tuple[ThemeMatch, ...] | None = None) -> tuple[NearMiss, ...]:
    """For each theme the article is not in, how near it came: its score against the
    threshold, and every rule that kept it out. An article with pinned themes has none.

    `matches` are the article's themes when already known (from `classify`)."""
    if analyzed.article.pinned_themes is not None:
        return ()
    layout = _Layout.of(analyzed)
    collected = classifier._collect(analyzed, layout)
    if matches is None:
        matches = classifier._matches(layout, collected)
    return _near_misses(classifier, layout, collected, matches)


def _near_misses(classifier: ThemeClassifier, layout: _Layout, collected: _Collected,
                 matches: tuple[ThemeMatch, ...]) -> tuple[NearMiss, ...]:
    """`near_misses` of an article that is not pinned, from what one pass over it found."""
    prominent = layout.prominent
    sentences = max(layout.body, 1)
    inside = {m.slug for m in matches}
    misses = []
    for theme in classifier.themes:
        if theme.slug in inside:
            continue
        slug = theme.slug
        evidence = tuple(collected.found.get(slug, ()))
        score = _score(slug, evidence, layout).score
        strong = sum(not e.supporting for e in evidence)
        reasons = []
        if not strong and not collected.cancelled.get(slug):
            reasons.append(MissReason(NO_EVIDENCE))
        if collected.cancelled.get(slug):
            reasons.append(MissReason(CANCELLED, collected.cancelled[slug],
                                      cues=tuple(collected.cues[slug])))
        if strong:
            if slug in collected.headline_cues:
                reasons.append(MissReason(HEADLINE_CUE, cues=(collected.headline_cues[slug],)))
            elif collected.cued.get(slug, 0) >= strong:
                reasons.append(MissReason(OUTNUMBERED, collected.cued[slug], strong))
            if not any(e.sentence in prominent for e in evidence):
                if strong < MIN_BODY_EVIDENCE:
                    reasons.append(MissReason(FEW_SENTENCES, strong, MIN_BODY_EVIDENCE))
                share = round(len(evidence) / sentences, 3)
                if share < MIN_BODY_SHARE:
                    reasons.append(MissReason(LOW_SHARE, share, MIN_BODY_SHARE))
            if score < theme.threshold:
                reasons.append(MissReason(BELOW_THRESHOLD, score, theme.threshold))
        misses.append(NearMiss(slug, score, theme.threshold, tuple(reasons)))
    return tuple(misses)


def unmatchable(term: str, language: str, analyzer: Analyzer) -> str | None:
    """Why a term can never match any sentence, or None when it can.

    Each alternative of the term, written out as a text, must match itself once the language's
    pipeline has read it. One that does not holds a word the tokenizer never produces: English
    spaCy reads `cannot` as `can` and `not`, and no sentence offers `cannot` as one word."""
    compiled = parse_term(term)
    written = [" ".join(word.rstrip("*") for word in words)
               for part in compiled.parts for words in part]
    articles = [CleanArticle(path=PurePosixPath("term.txt"), title=text, title_from_text=True,
                             date=None, source=None, url=None, language=language,
                             blocks=(Block(text),))
                for text in written]
    analyzed = analyzer.analyze(articles)
    index = 0
    for part in compiled.parts:
        for words in part:
            text, sentences = written[index], analyzed[index].sentences
            index += 1
            alternative = " ".join(words)
            entry = _Entry.compile("", alternative, VOCABULARY)
            vocabulary = _Vocabulary([entry], language)
            if any(match_term(entry, vocabulary.read(s)) is not None for s in sentences):
                continue
            pieces = [form for s in sentences for form in s.forms]
            apart = " ".join(pieces)
            hint = ""
            if apart != text and apart and unmatchable(apart, language, analyzer) is None:
                hint = f"; write '{apart}'"
            return (f"the {language} tokenizer reads '{text}' as "
                    + (", ".join(f"'{piece}'" for piece in pieces) or "nothing")
                    + f", never as '{alternative}'{hint}")
    return None


def evidence_sentences(analyzed: AnalyzedArticle) -> tuple[Sentence, ...]:
    """The sentences a theme may find evidence in: the headline, then the text."""
    title = (analyzed.title,) if analyzed.has_headline else ()
    return (*title, *analyzed.sentences)


def _hyphen_words(word: str) -> set[str]:
    """A hyphenated word's parts, and the word closed up: `navo-top` → `navo`, `top`,
    `navotop`."""
    parts = [p for p in word.split("-") if p]
    return {*parts, "".join(parts)}


def _token_words(lemma: str, form: str) -> frozenset[str]:
    """What a vocabulary word may match in one token: its lemma, its form, and the parts of
    either when it is hyphenated, and either closed up."""
    words = {lemma, form}
    for word in (lemma, form):
        if "-" in word:
            words |= _hyphen_words(word)
    return frozenset(words)


def _may_match(entry: _Entry, reading: _Reading) -> bool:
    """Whether every part has an alternative whose words all occur in the sentence."""
    words, stemmed = reading.words, reading.stemmed
    for singles, plain, starred in entry.quick:
        if (singles.isdisjoint(words) and not any(alternative <= words for alternative in plain)
                and not any(all(_word_in(w, words, stemmed) for w in alternative)
                            for alternative in starred)):
            return False
    return True


def _has_stem(alternative: tuple[str, ...]) -> bool:
    """Whether one of an alternative's words is a `*` stem."""
    return any(word.endswith("*") for word in alternative)


def _word_in(word: str, words: frozenset[str], stemmed: frozenset[str]) -> bool:
    """Whether a vocabulary word occurs in a sentence: its words, and those that match a stem."""
    if word.endswith("*"):
        return any(c.startswith(word[:-1]) for c in stemmed)
    return word in words


def match_term(entry: _Entry, reading: _Reading) -> list[int] | None:
    """The token positions where every part of the term matches, or None. What the whole
    sentence may match rules alternatives out before a scan."""
    positions: list[int] = []
    for part in entry.parts:
        hit = _match_part(part, reading)
        if hit is None:
            return None
        positions.extend(hit)
    return positions


def _match_part(alternatives: tuple[tuple[str, ...], ...], reading: _Reading) -> list[int] | None:
    for alternative in alternatives:
        if not all(_word_in(w, reading.words, reading.stemmed) for w in alternative):
            continue
        first, compounds = alternative[0], reading.compounds
        for start, candidates in enumerate(reading.tokens):
            if start in compounds or _word_matches(first, candidates):
                end = _match_in_a_row(alternative, start, reading)
                if end is not None:
                    return list(range(start, end))
    return None


def _match_in_a_row(words: tuple[str, ...], position: int, reading: _Reading) -> int | None:
    """Where the words end when they stand in a row from this token on, each matching one
    token or one compound; None when they do not."""
    tokens, compounds = reading.tokens, reading.compounds
    for k, word in enumerate(words):
        single = position < len(tokens) and _word_matches(word, tokens[position])
        if position in compounds:
            # The word may be one token or a compound that starts here: the one token first.
            ends = [position + 1] if single else []
            ends += [position + length for compound, length in compounds[position]
                     if _word_matches(word, (compound,))]
            for end in ends:
                found = _match_in_a_row(words[k + 1:], end, reading)
                if found is not None:
                    return found
            return None
        if not single:
            return None
        position += 1
    return position


def _word_matches(word: str, candidates: Collection[str]) -> bool:
    """Whether a vocabulary word matches one token's candidates."""
    if word.endswith("*"):
        stem = word[:-1]
        return any(c.startswith(stem) for c in candidates)
    return word in candidates


def evidence_weights(analyzed: AnalyzedArticle) -> dict[str, float]:
    """The weight of evidence in each sentence: headline, lead sentence, or body."""
    return _evidence_weights(analyzed, analyzed.has_headline)


def _evidence_weights(analyzed: AnalyzedArticle, has_headline: bool) -> dict[str, float]:
    weights: dict[str, float] = {}
    lead = 0
    for sentence in analyzed.sentences:
        is_lead = not sentence.is_heading and lead < LEAD_SENTENCES
        lead += not sentence.is_heading
        weights.setdefault(sentence.text, LEAD_WEIGHT if is_lead else BODY_WEIGHT)
    if has_headline:
        weights[analyzed.title.text] = TITLE_WEIGHT
    return weights


@dataclass(frozen=True)
class _Layout:
    """Where an article's sentences stand, which is what its evidence is weighed by: worked
    out once per article rather than for each theme."""

    headline: Sentence | None  # the title, when it is a headline of its own
    weights: dict[str, float]  # `evidence_weights`
    prominent: frozenset[str]  # the sentences that weigh more than the body: headline and lead
    body: int  # the number of sentences that are not headings

    @classmethod
    def of(cls, analyzed: AnalyzedArticle) -> _Layout:
        has_headline = analyzed.has_headline
        weights = _evidence_weights(analyzed, has_headline)
        return cls(analyzed.title if has_headline else None, weights,
                   frozenset(text for text, weight in weights.items() if weight > BODY_WEIGHT),
                   sum(not s.is_heading for s in analyzed.sentences))


def _score(slug: str, evidence: tuple[Evidence, ...], layout: _Layout) -> ThemeMatch:
    weights = layout.weights
    total = sum(weights.get(e.sentence, BODY_WEIGHT) * (SUPPORT_FACTOR if e.supporting else 1)
                for e in evidence)
    return ThemeMatch(slug, round(total / math.sqrt(layout.body + 1), 3), evidence)


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


def _is_about(layout: _Layout, evidence: tuple[Evidence, ...]) -> bool:
    """Whether the evidence says what the article is about: it, or support backing it, stands
    in the headline or the lead, or the theme runs through the article."""
    if any(e.sentence in layout.prominent for e in evidence):
        return True
    strong = sum(not e.supporting for e in evidence)
    share = len(evidence) / max(layout.body, 1)
    return strong >= MIN_BODY_EVIDENCE and share >= MIN_BODY_SHARE
