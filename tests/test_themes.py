"""themes: the themes file is checked against its schema; every problem names file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.classify import ThemeClassifier, unmatchable
from generator.errors import DigestError
from generator.model import Theme
from generator.themes import Term, load_themes, parse_term, theme_warnings

EXPULSIONS = """\
  - slug: expulsions
    title: Uitwijzingen
    vocabulary:
      nl:
        - diplomaat + uitwijzen
"""

SANCTIONS = """\
  - slug: sanctions
    title:
      nl: Sancties
      en: Sanctions
    description: Strafmaatregelen tegen een staat.
    threshold: 0.8
    vocabulary:
      nl:
        - sanctie* + opleggen|invoeren
        - persona non grata
      en:
        - sanction + impose
    exclude:
      nl:
        - voetbal*|tuchtcommissie
    support:
      nl:
        - smokkel*|zwarte markt
"""


@pytest.fixture
def themes_file(tmp_path, monkeypatch):
    """Write a themes file in the working folder and return its (relative) path."""
    monkeypatch.chdir(tmp_path)

    def write(text: str) -> Path:
        path = Path("themes.yml")
        path.write_text(text, encoding="utf-8")
        return path

    return write


def error_of(path: Path, language: str = "nl") -> str:
    with pytest.raises(DigestError) as caught:
        load_themes(path, language)
    return str(caught.value)


# Valid files


def test_load_themes_reads_a_valid_file(themes_file):
    themes = load_themes(themes_file("themes:\n" + EXPULSIONS + SANCTIONS))
    assert themes == (
        Theme(slug="expulsions", title="Uitwijzingen", description="",
                        vocabulary={"nl": ("diplomaat + uitwijzen",)}, threshold=0.5),
        Theme(
            slug="sanctions", title="Sancties", description="Strafmaatregelen tegen een staat.",
            vocabulary={"nl": ("sanctie* + opleggen|invoeren", "persona non grata"),
                        "en": ("sanction + impose",)},
            threshold=0.8, exclude={"nl": ("voetbal*|tuchtcommissie",)},
            support={"nl": ("smokkel*|zwarte markt",)},
        ),
    )
    assert all(isinstance(theme, Theme) for theme in themes)


def test_load_themes_takes_the_title_in_the_site_language(themes_file):
    themes = load_themes(themes_file("themes:\n" + SANCTIONS), language="en")
    assert themes[0].title == "Sanctions"


def test_load_themes_loads_a_fourth_theme(themes_file, shipped_themes_path):
    fourth = """\
  - slug: cyber-attacks
    title: Cyberaanvallen
    vocabulary:
      nl:
        - cyberaanval|hack*
        - ddos + aanval
      en:
        - cyber attack|cyberattack
"""
    shipped = shipped_themes_path.read_text(encoding="utf-8")
    themes = load_themes(themes_file(shipped.rstrip("\n") + "\n" + fourth))
    assert [t.slug for t in themes] == [
        "expulsions", "troop-build-up", "sanctions", "cyber-attacks",
    ]
    assert themes[-1].vocabulary == {
        "nl": ("cyberaanval|hack*", "ddos + aanval"), "en": ("cyber attack|cyberattack",),
    }


def test_load_themes_loads_the_shipped_themes_file(shipped_themes_path):
    themes = load_themes(shipped_themes_path)
    assert [t.slug for t in themes] == ["expulsions", "troop-build-up", "sanctions"]
    assert all(set(t.vocabulary) == {"nl", "en"} for t in themes)
    assert [t.title for t in load_themes(shipped_themes_path, "en")] == [
        "Diplomatic expulsions", "Troop build-up", "Sanctions",
    ]


# Bad files: the exact message


def test_load_themes_reports_unknown_key(themes_file):
    entry = EXPULSIONS.replace("    title:", "    colour: red\n    title:")
    path = themes_file("themes:\n" + entry)
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 3: unknown key 'colour' "
        "(known: slug, title, description, vocabulary, exclude, support, threshold)"
    )


def test_load_themes_reports_unknown_top_level_key(themes_file):
    path = themes_file("themes:\n" + EXPULSIONS + "settings: {}\n")
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 7: unknown top-level key 'settings' "
        "(only 'themes')"
    )


@pytest.mark.parametrize("field", ["slug", "title", "vocabulary"])
def test_load_themes_reports_missing_field(themes_file, field):
    lines = EXPULSIONS.splitlines(keepends=True)
    if field == "slug":
        entry = "  - " + "".join(lines[1:]).lstrip()
    elif field == "title":
        entry = lines[0] + "".join(lines[2:])
    else:
        entry = "".join(lines[:2])
    path = themes_file("themes:\n" + SANCTIONS + entry)
    assert error_of(path) == (
        f"Error in themes file 'themes.yml': line 20: theme is missing '{field}'"
    )


def test_load_themes_reports_duplicate_slug_with_both_lines(themes_file):
    path = themes_file("themes:\n" + EXPULSIONS + SANCTIONS + EXPULSIONS)
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 25: duplicate slug 'expulsions' "
        "(first defined on line 2)"
    )


def test_load_themes_reports_a_key_given_twice(themes_file):
    entry = EXPULSIONS.replace("    title:", "    slug: again\n    title:")
    path = themes_file("themes:\n" + entry)
    assert error_of(path) == "Error in themes file 'themes.yml': line 3: key 'slug' appears twice"


@pytest.mark.parametrize("empty", ["      nl: []\n", "      nl:\n"])
def test_load_themes_reports_empty_vocabulary_list(themes_file, empty):
    path = themes_file("themes:\n" + EXPULSIONS.split("      nl:")[0] + empty)
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 5: vocabulary 'nl' of 'expulsions' is empty"
    )


def test_load_themes_reports_vocabulary_that_is_not_per_language(themes_file):
    path = themes_file("themes:\n" + EXPULSIONS.split("    vocabulary:")[0]
                       + "    vocabulary:\n      - diplomaat\n")
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 4: vocabulary of 'expulsions' must map a "
        "language (nl, en) to a list of terms"
    )


@pytest.mark.parametrize(("term", "reason"), [
    ("'diplomaat + '", "term 'diplomaat + ' has an empty part around '+' or '|'"),
    ("a||b", "term 'a||b' has an empty part around '+' or '|'"),
    ("'foo$'", "term 'foo$': 'foo$' is not a word (letters, digits, '-' and a final '*' only)"),
    ("'*'", "term '*': '*' is not a word (letters, digits, '-' and a final '*' only)"),
    ("sanc*tie", "term 'sanc*tie': 'sanc*tie' is not a word (letters, digits, '-' and a final "
                 "'*' only)"),
    ("42", "a term must be non-empty text"),
])
def test_load_themes_reports_malformed_pattern(themes_file, term, reason):
    path = themes_file("themes:\n" + EXPULSIONS + f"        - {term}\n")
    assert error_of(path) == f"Error in themes file 'themes.yml': line 7: {reason}"


@pytest.mark.parametrize("key", ["exclude", "support"])
@pytest.mark.parametrize(("terms", "reason"), [
    (":\n      - asielzoeker\n",
     "line 7: {key} of 'expulsions' must map a language (nl, en) to a list of terms"),
    (": asielzoeker\n",
     "line 7: {key} of 'expulsions' must map a language (nl, en) to a list of terms"),
    (":\n      de:\n        - asylbewerber\n",
     "line 8: {key} language 'de' is not one of nl, en"),
    (":\n      nl: []\n", "line 8: {key} 'nl' of 'expulsions' is empty"),
    (":\n      nl:\n        - asiel* + \n",
     "line 9: term 'asiel* +' has an empty part around '+' or '|'"),
    (":\n      nl:\n        - asiel$\n",
     "line 9: term 'asiel$': 'asiel$' is not a word (letters, digits, '-' and a final '*' only)"),
])
def test_load_themes_reports_bad_exclude_or_support(themes_file, key, terms, reason):
    path = themes_file("themes:\n" + EXPULSIONS + f"    {key}" + terms)
    assert error_of(path) == "Error in themes file 'themes.yml': " + reason.format(key=key)


@pytest.mark.parametrize("key", ["exclude", "support"])
def test_load_themes_reads_exclude_and_support_per_language(themes_file, key):
    path = themes_file("themes:\n" + EXPULSIONS
                       + f"    {key}:\n      nl:\n        - asiel*|asielzoeker\n"
                       "      en:\n        - asylum + seeker\n")
    [theme] = load_themes(path)
    assert getattr(theme, key) == {"nl": ("asiel*|asielzoeker",), "en": ("asylum + seeker",)}


def test_load_themes_reports_unknown_language(themes_file):
    path = themes_file("themes:\n" + EXPULSIONS.replace("      nl:", "      de:"))
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 5: vocabulary language 'de' is not one of nl, en"
    )


@pytest.mark.parametrize(("slug", "reason"), [
    ("Uitwijzingen_2022", "slug 'Uitwijzingen_2022' must be lower-case letters, digits and '-'"),
    ("other", "slug 'other' must be lower-case letters, digits and '-' and not 'other'"),
])
def test_load_themes_reports_bad_slug(themes_file, slug, reason):
    path = themes_file("themes:\n" + EXPULSIONS.replace("slug: expulsions", f"slug: {slug}"))
    assert error_of(path) == f"Error in themes file 'themes.yml': line 2: {reason}"


def test_load_themes_reports_threshold_that_is_not_positive(themes_file):
    path = themes_file("themes:\n" + SANCTIONS.replace("threshold: 0.8", "threshold: 0"))
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 7: threshold '0' must be a number above 0"
    )


def test_load_themes_reports_text_that_is_not_yaml(themes_file):
    path = themes_file("themes:\n  - slug: a\n   title: b\n")
    assert error_of(path) == (
        "Error in themes file 'themes.yml': line 3: not valid YAML "
        "(expected <block end>, but found '<block mapping start>')"
    )


def test_load_themes_reports_yaml_without_a_themes_list(themes_file):
    assert error_of(themes_file("- slug: expulsions\n")) == (
        "Error in themes file 'themes.yml': line 1: the file must have a top-level 'themes:' list"
    )


def test_load_themes_reports_empty_themes_list(themes_file):
    assert error_of(themes_file("themes: []\n")) == (
        "Error in themes file 'themes.yml': line 1: 'themes' must be a non-empty list"
    )


def test_load_themes_reports_a_list_used_as_a_key(themes_file):
    # YAML allows complex keys (`? [a, b]`); the file must still give a DigestError, not crash.
    path = themes_file("themes:\n  - ? [slug, title]\n    : expulsions\n")
    with pytest.raises(DigestError) as caught:
        load_themes(path)
    assert str(caught.value).startswith("Error in themes file 'themes.yml': line 2: ")


def test_load_themes_reports_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert error_of(Path("themes.yml")) == (
        "Error in themes file 'themes.yml': the themes file does not exist"
    )


def test_load_themes_reports_file_that_is_not_utf8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("themes.yml").write_bytes("themes:\n  - slug: oekraïne\n".encode("cp1252"))
    assert error_of(Path("themes.yml")) == "Error in themes file 'themes.yml': not UTF-8 text"


# Terms


def test_parse_term_splits_parts_alternatives_and_words():
    assert parse_term("Diplomaat|ambassadeur + persona non grata") == Term(
        text="Diplomaat|ambassadeur + persona non grata",
        parts=((("diplomaat",), ("ambassadeur",)), (("persona", "non", "grata"),)),
    )


def test_parse_term_accepts_hyphens_and_final_star():
    assert parse_term("olie-embargo|sanctie*").parts == ((("olie-embargo",), ("sanctie*",)),)


def test_worked_example_in_the_docs_is_a_valid_theme_that_classifies(themes_file, analyzed):
    docs = (Path(__file__).resolve().parents[1] / "docs" / "themes.md").read_text("utf-8")
    example = docs.split("## A worked example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    [theme] = load_themes(themes_file("themes:\n" + example))
    assert theme.slug == "cyber-attacks" and theme.support
    article = analyzed("Hackers leggen systemen van gemeente plat\n\nHackers zijn binnengedrongen "
                       "in de systemen van de gemeente. De website is offline. De daders eisen "
                       "losgeld.")
    [match] = ThemeClassifier([theme]).classify(article)
    assert [e.supporting for e in match.evidence] == [False, True, True]


# Warnings: what does not stop a build


def test_theme_warnings_names_a_title_and_description_missing_in_the_site_language(themes_file):
    # SANCTIONS has a title in both languages and a description as one text: nothing to say.
    path = themes_file("themes:\n" + SANCTIONS + """\
  - slug: cyber-attacks
    title: {nl: Cyberaanvallen}
    description:
      nl: Staten vallen computersystemen aan.
      en: ""
    vocabulary:
      en:
        - cyberattack
""")
    assert [str(w) for w in theme_warnings(path, "en")] == [
        "themes.yml: line 21: the title of 'cyber-attacks' has no text in 'en', the site's "
        "language; the 'nl' one is shown",
        "themes.yml: line 22: the description of 'cyber-attacks' has no text in 'en', the "
        "site's language; the 'nl' one is shown",
    ]
    assert all(not w.skipped for w in theme_warnings(path, "en"))
    assert theme_warnings(path, "nl") == ()


def test_theme_warnings_of_the_shipped_file_are_none(shipped_themes_path, analyzer):
    def check(term: str, language: str) -> str | None:
        return unmatchable(term, language, analyzer)

    assert theme_warnings(shipped_themes_path, "nl", check) == ()
    assert theme_warnings(shipped_themes_path, "en", check) == ()


def test_theme_warnings_names_a_term_that_can_never_match(themes_file, analyzer):
    path = themes_file("themes:\n" + EXPULSIONS + """\
    exclude:
      en:
        - embassy + cannot|will not
""")
    [warning] = theme_warnings(path, "nl", lambda term, lang: unmatchable(term, lang, analyzer))
    assert str(warning) == (
        "themes.yml: line 9: term 'embassy + cannot|will not' of 'expulsions' (exclude, en) "
        "can never match: the en tokenizer reads 'cannot' as 'can', 'not', never as 'cannot'; "
        "write 'can not'"
    )


def test_theme_warnings_of_a_file_that_does_not_load_are_none(themes_file):
    # Loading it says what is wrong, as an error.
    assert theme_warnings(themes_file("themes: []\n"), "en") == ()


@pytest.mark.parametrize(("term", "language"), [
    ("cyber-attack|cyber attack|cyberattack", "en"),
    ("state-backed + tit-for-tat", "en"),
    ("russia's", "en"),
    ("5g", "nl"),
    ("anti-russisch|navo-top + zo'n", "nl"),
    ("sanctie* + opleggen", "nl"),
])
def test_unmatchable_finds_nothing_wrong_with_terms_that_match(analyzer, term, language):
    assert unmatchable(term, language, analyzer) is None


def test_worked_example_in_the_docs_has_no_term_that_can_never_match(themes_file, analyzed,
                                                                     analyzer):
    docs = (Path(__file__).resolve().parents[1] / "docs" / "themes.md").read_text("utf-8")
    example = docs.split("## A worked example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = themes_file("themes:\n" + example)
    assert theme_warnings(path, "en", lambda t, lang: unmatchable(t, lang, analyzer)) == ()
    [theme] = load_themes(path, "en")
    for spelled in ("cyber-attack", "cyber attack", "cyberattack"):
        article = analyzed(f"Port hit by {spelled}\n\nThe port of a large city was hit by a "
                           f"{spelled} on Monday. Ships were delayed.", language="en")
        assert [m.slug for m in ThemeClassifier([theme]).classify(article)] == ["cyber-attacks"]
