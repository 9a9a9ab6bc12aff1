"""The search from file:// in real headless Firefox (Debian's firefox-esr, driven over its own
Marionette protocol: Playwright needs a patched Firefox, and geckodriver is not packaged)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import pytest
from marionette_driver import By, Wait
from marionette_driver.marionette import Marionette

from tests.sitebuild import build_project, make_project

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
# `make test` installs firefox-esr where it is missing, as it does Chromium.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not FIREFOX, reason="firefox is not installed")]
PREFS = {  # every request goes to a proxy on the discard port, where nothing listens
    "network.proxy.type": 1, "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": True,  # 127.0.0.1 and localhost too
    **{f"network.proxy.{k}": "127.0.0.1" for k in ("http", "ssl", "socks")},
    **{f"network.proxy.{k}_port": 9 for k in ("http", "ssl", "socks")},
    # Firefox's own requests are not even tried; remote settings heed their pref with the env var
    "media.gmp-manager.updateEnabled": False, "app.update.disabledForTesting": True,
    "services.settings.server": "data:,#remote-settings-dummy/v1", "marionette.port": 0}
ENV = {**os.environ, "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"}


@pytest.fixture(scope="module")
def firefox(tmp_path_factory):
    profile = tmp_path_factory.mktemp("ffprofile")
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items()))
    proc = subprocess.Popen([FIREFOX, "--marionette", "--headless", "--profile", str(profile)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file, deadline = profile / "MarionetteActivePort", time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert proc.poll() is None and time.monotonic() < deadline, "firefox did not start"
            time.sleep(0.05)
        (client := Marionette(host="127.0.0.1", port=int(port_file.read_text()))).start_session()
        yield client
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    articles = {
        "uitwijzing.txt": "Nederland zet twee Russische diplomaten het land uit. Het ministerie "
                          "noemt hen een gevaar voor de staatsveiligheid.\n",
        "haven.txt": "De haven van Rotterdam groeit. Het havenbedrijf is tevreden.\n",
    }
    project = make_project(tmp_path_factory.mktemp("firefox") / "project", articles)
    result = build_project(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_search_from_file_url_offline(firefox, site):
    firefox.navigate((site / "index.html").as_uri())
    with socket.create_server(("127.0.0.1", 0)) as listener:  # a server the page must not reach
        outcome = firefox.execute_async_script(
            "const [u, done] = arguments, s = document.createElement('script'); s.src = u;"
            "s.onload = s.onerror = (event) => done(event.type); document.head.append(s);",
            script_args=[f"http://127.0.0.1:{listener.getsockname()[1]}/x.js"], script_timeout=9000)
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):  # no connection came in
            listener.accept()
    assert outcome == "error"
    (box := firefox.find_element(By.CSS_SELECTOR, "input.md-search__input")).click()
    box.send_keys("diplomaten")  # WebDriver key actions: keydown, keypress, input, keyup per char
    items = Wait(firefox, timeout=10).until(lambda m: m.find_elements(By.CSS_SELECTOR,
                                                                       ".md-search-result__item"))
    assert "diplomaten" in items[0].find_element(By.CSS_SELECTOR, "h1").text.lower()
