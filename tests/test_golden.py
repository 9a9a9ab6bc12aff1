"""The golden site: the generated Markdown tree of a small content folder, page by page."""

from generator.analyze import Analyzer
from tests.golden import expected, generate


def test_golden_pages_match_expected():
    generated, kept = generate(), expected()
    assert sorted(generated) == sorted(kept), "pages differ: run `make golden` if intended"
    for path, text in generated.items():
        assert text == kept[path], f"{path} changed: run `make golden` if the change is intended"


def test_build_is_deterministic():
    assert generate(Analyzer()) == generate(Analyzer())
