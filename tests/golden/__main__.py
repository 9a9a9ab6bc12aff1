"""`python -m tests.golden [--update]`: compare (or, on purpose, regenerate) the golden pages."""

import difflib
import shutil
import sys

from tests.golden import EXPECTED, expected, generate


def main() -> int:
    pages = generate()
    if "--update" in sys.argv:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, text in pages.items():
            target = EXPECTED / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print(f"wrote {len(pages)} golden pages to {EXPECTED}")
        return 0
    old = expected()
    differences = 0
    for path in sorted(set(old) | set(pages)):
        diff = list(difflib.unified_diff(
            old.get(path, "").splitlines(), pages.get(path, "").splitlines(),
            f"expected/{path}", f"generated/{path}", lineterm=""))
        differences += bool(diff)
        print("\n".join(diff))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
