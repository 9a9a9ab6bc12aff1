"""bench/themes.py: the theme benchmark prints its tables and JSON on a tiny labelled set."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLES = FIXTURES / "themes_tiny_articles.jsonl"
LABELS = FIXTURES / "themes_tiny_labels.jsonl"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_themes", ROOT / "bench" / "themes.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(bench, capsys, *extra: str) -> str:
    bench.main(["--articles", str(ARTICLES), "--labels", str(LABELS), *extra])
    return capsys.readouterr().out


def test_bench_themes_prints_scores_errors_and_timing(bench, capsys):
    lines = run(bench, capsys).splitlines()
    assert lines[0] == "| theme | TP | FP | FN | precision | recall | F1 | FP rate |"
    assert lines[2:6] == [
        "| expulsions | 2 | 0 | 0 | 1.000 | 1.000 | 1.000 | 0.0000% |",
        "| troop-build-up | 0 | 1 | 0 | 0.000 | 1.000 | 0.000 | 16.6667% |",
        "| sanctions | 2 | 0 | 1 | 1.000 | 0.667 | 0.800 | 0.0000% |",
        "| all | 4 | 1 | 1 | 0.800 | 0.800 | 0.800 | 7.6923% |",
    ]
    errors = lines[lines.index("| error | theme | id | score | title |"):]
    assert errors[2].startswith("| FP | troop-build-up | unlabelled-troops | ")
    assert errors[2].endswith(" | NAVO stuurt extra troepen naar de oostflank |")
    assert errors[3] == "| FN | sanctions | missed-nl | 0.0 | Haven groeit |"
    # two-nl is labelled sanctions first on purpose; its headline names the expulsion first.
    main = lines.index("| main theme first | of | wrong |")
    assert lines[main + 2] == "| 2 | 3 | two-nl |"
    timing = lines[lines.index(
        "| articles | analysis s | classification s | classification / analysis |") + 2]
    assert timing.startswith("| 7 | ")


def test_bench_themes_json_has_the_same_figures_and_assigned_themes(bench, capsys):
    report = json.loads(run(bench, capsys, "--json"))
    assert set(report) == {"themes", "overall", "timing", "main_theme_first",
                           "unknown_label_ids", "assigned"}
    assert report["main_theme_first"] == {"right": 2, "wrong": ["two-nl"]}
    assert list(report["themes"]) == ["expulsions", "troop-build-up", "sanctions"]
    assert set(report["overall"]) == {
        "tp", "fp", "fn", "negatives", "precision", "recall", "f1", "fp_rate",
        "false_positives", "false_negatives",
    }
    assert report["themes"]["sanctions"]["false_negatives"] == ["missed-nl"]
    assert report["overall"]["fp"] == 1
    assert set(report["timing"]) == {"articles", "analysis_s", "classification_s", "ratio"}
    assert report["assigned"] == {
        "exp-nl": ["expulsions"], "sanc-en": ["sanctions"], "football-nl": [], "missed-nl": [],
        "border-nl": ["troop-build-up"], "unlabelled-troops": ["troop-build-up"],
        "two-nl": ["expulsions", "sanctions"],
    }


def test_bench_themes_reads_a_folder_of_articles(bench, capsys, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "uitwijzing.md").write_text(
        "---\ntitle: Rusland wijst diplomaten uit\n---\n"
        "Rusland heeft drie Nederlandse diplomaten uitgewezen. Zij moeten binnen twee weken "
        "vertrekken.\n", encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "uitwijzing", "themes": ["expulsions"], "borderline": false}\n',
                      encoding="utf-8")
    bench.main(["--articles", str(folder), "--labels", str(labels), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["assigned"] == {"uitwijzing": ["expulsions"]}
    assert report["overall"]["tp"] == 1


def test_bench_themes_saves_article_rows_as_plain_text_files(bench, capsys, tmp_path):
    # Rows with `article` and no `text` (the English evaluation set's shape) are saved as .txt
    # files and read, cleaned and language-detected as the build does; the ids stay the rows'.
    articles = tmp_path / "english.jsonl"
    rows = [
        {"id": "expel-en", "article": "Norway has expelled two Russian diplomats over spying. "
         "The foreign ministry said both men must leave the country within a week. Moscow "
         "promised a response."},
        {"id": "with title", "title": "Storm hits the coast",
         "article": "A storm hit the coast on Monday. Thousands of homes lost power and "
         "schools were closed."},
    ]
    articles.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "expel-en", "themes": ["expulsions"], "borderline": false}\n',
                      encoding="utf-8")
    read = bench.read_jsonl_articles(articles)
    assert list(read) == ["expel-en", "with title"]
    assert {a.language for a in read.values()} == {"en"}
    assert read["with title"].title == "Storm hits the coast"
    bench.main(["--articles", str(articles), "--labels", str(labels), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["assigned"] == {"expel-en": ["expulsions"], "with title": []}
    bench.main(["--articles", str(articles), "--labels", str(labels)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "| expulsions | 1 | 0 | 0 | 1.000 | 1.000 | 1.000 | 0.0000% |"
    assert ("note: sanctions has no labelled positive among the 2 scored articles: its recall "
            "is not measured, only its false positives") in lines


def test_bench_themes_takes_labels_from_the_rows_and_scores_only_chosen_ids(bench, capsys,
                                                                            tmp_path):
    # The shape of bench/en_written_themes.jsonl: `title`, `text` and the row's own `themes`.
    articles = tmp_path / "written.jsonl"
    rows = [
        {"id": "t01", "title": "Norway expels two Russian diplomats",
         "text": "Norway has expelled two Russian diplomats over spying. Both must leave the "
         "country within a week. Moscow promised a response.", "themes": ["expulsions"],
         "kind": "positive"},
        {"id": "h01", "title": "Storm hits the coast",
         "text": "A storm hit the coast on Monday. Thousands of homes lost power.",
         "themes": [], "kind": "negative"},
    ]
    articles.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    bench.main(["--articles", str(articles), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["assigned"] == {"t01": ["expulsions"], "h01": []}
    assert report["themes"]["expulsions"]["tp"] == 1
    bench.main(["--articles", str(articles), "--json", "--only", "^h"])
    report = json.loads(capsys.readouterr().out)
    assert report["assigned"] == {"h01": []}
    assert report["overall"]["negatives"] == 3
