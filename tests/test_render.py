"""render: the Markdown tree on disk holds exactly the rendered site, written where it changed."""

from __future__ import annotations

from generator.render import SiteTree, paragraph_parts, write_tree


def tree(pages: dict[str, str], files=None) -> SiteTree:
    return SiteTree(pages=pages, files=files or {}, nav=())


def test_write_tree_writes_only_what_changed_and_removes_what_is_gone(tmp_path):
    original = tmp_path / "bericht.txt"
    original.write_text("origineel", encoding="utf-8")
    docs = tmp_path / "docs"
    first = tree({"index.md": "# Home", "articles/a.md": "A", "articles/b.md": "B"},
                 {"originals/bericht.txt": original})
    assert write_tree(first, docs) == ["articles/a.md", "articles/b.md", "index.md",
                                       "originals/bericht.txt"]
    assert write_tree(first, docs) == []
    (docs / "stray.md").write_text("oud", encoding="utf-8")
    second = tree({"index.md": "# Home", "articles/a.md": "A, herzien"})
    assert write_tree(second, docs) == ["articles/a.md"]
    on_disk = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*"))
    assert on_disk == ["articles", "articles/a.md", "index.md"]
    assert (docs / "articles" / "a.md").read_text(encoding="utf-8") == "A, herzien"


def test_paragraph_parts_cut_a_long_paragraph_after_sentences_and_keep_every_word():
    text = " ".join(f"Zin nummer {i} gaat over de haven." for i in range(2000))
    parts = paragraph_parts(text, size=500)
    assert all(len(part) <= 500 for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_paragraph_parts_cut_a_paragraph_without_full_stops_at_spaces():
    text = " ".join(["woord"] * 5000)
    parts = paragraph_parts(text, size=300)
    assert all(len(part) <= 300 and part.startswith("woord") for part in parts)
    assert " ".join(parts) == text
    assert paragraph_parts("x" * 1000, size=300) == ["x" * 300] * 3 + ["x" * 100]
