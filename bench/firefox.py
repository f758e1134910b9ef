"""Firefox through its built-in Marionette server: no geckodriver.

`firefox --headless --marionette --no-remote --profile DIR` with
`marionette.port` 0 in DIR/user.js listens on a free port and writes it to
DIR/MarionetteActivePort; Mozilla's marionette-driver speaks to it.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.engines import firefox_path
from bench.processes import stopped
from bench.tab import CENTER, CONTROL

with warnings.catch_warnings():
    # What marionette-driver imports (mozinfo, mozrunner) calls deprecated
    # APIs at import time (distro.linux_distribution, telnetlib); pytest turns
    # warnings into errors. Only this import is excused.
    warnings.simplefilter("ignore", DeprecationWarning)
    from marionette_driver.marionette import Actions, Marionette  # type: ignore[import-untyped]

START_S = 60
# A script may await a cold start (see bench.tab.Tab.js).
SCRIPT_S = 180

# Nothing but 127.0.0.1 answers here, and a test browser has no business
# elsewhere: no updates, telemetry, studies, remote settings, safe-browsing
# lists, captive-portal or connectivity probes, push, DoH or speculative
# connections.
PREFS: dict[str, bool | int | str] = {
    "marionette.port": 0,
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "app.normandy.enabled": False,
    "app.shield.optoutstudies.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage": "about:blank",
    "browser.newtabpage.enabled": False,
    "browser.aboutwelcome.enabled": False,
    "browser.region.update.enabled": False,
    "browser.region.network.url": "",
    "browser.search.update": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.topsites.contile.enabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.server": "",
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.blocklist.enabled": False,
    "extensions.systemAddon.update.enabled": False,
    "media.gmp-manager.updateEnabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.trr.mode": 5,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.http.speculative-parallel-limit": 0,
    "dom.push.connection.enabled": False,
    "geo.provider.network.url": "",
}


def user_js(prefs: dict[str, bool | int | str]) -> str:
    return "".join(
        f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items()
    )


class FirefoxTab:
    """The Tab protocol (bench.tab) over one Marionette session."""

    def __init__(self, client: Marionette) -> None:
        self.client = client

    def goto(self, url: str) -> None:
        self.client.navigate(url)

    def js(self, body: str, *args: Any) -> Any:
        # sandbox=None runs in the page itself, so expandos such as a demo
        # root's demoTranscript are visible (a sandbox would see only DOM).
        return self.client.execute_script(body, script_args=args, sandbox=None)

    def _centred(self, css: str) -> Any:
        element = self.client.find_element("css selector", css)
        self.client.execute_script(CENTER, script_args=(element,), sandbox=None)
        return element

    def click(self, css: str) -> None:
        self._centred(css).click()

    def replace_text(self, css: str, text: str) -> None:
        self._centred(css).click()
        keys = Actions(self.client).sequence("key", "keyboard")
        keys.key_down(CONTROL).key_down("a").key_up("a").key_up(CONTROL).send_keys(text)
        keys.perform()
        Actions(self.client).release()


class Firefox:
    """A running Firefox: the Browser protocol (bench.tab)."""

    name = "firefox"

    def __init__(self, client: Marionette) -> None:
        self.client = client
        self.first_window: str = client.current_window_handle

    @contextmanager
    def new_tab(self) -> Iterator[FirefoxTab]:
        opened = self.client.open(type="tab", focus=True)
        self.client.switch_to_window(opened["handle"])
        try:
            yield FirefoxTab(self.client)
        finally:
            self.client.close()
            self.client.switch_to_window(self.first_window)


def _port(profile: Path, process: subprocess.Popen[bytes], log: Path) -> int:
    active = profile / "MarionetteActivePort"
    deadline = time.monotonic() + START_S
    while not active.is_file() or not active.read_text().strip():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Firefox did not start Marionette:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    return int(active.read_text())


@contextmanager
def launch_firefox() -> Iterator[Firefox]:
    """Headless Firefox on a fresh profile, Marionette on a free port."""
    with tempfile.TemporaryDirectory(prefix="firefox-") as tmp:
        profile = Path(tmp) / "profile"
        profile.mkdir()
        (profile / "user.js").write_text(user_js(PREFS))
        log = Path(tmp) / "firefox.log"
        command = [
            firefox_path(),
            "--headless",
            "--marionette",
            "--no-remote",
            "--profile",
            str(profile),
        ]
        with (
            log.open("wb") as sink,
            stopped(subprocess.Popen(command, stdout=sink, stderr=sink)) as process,
        ):
            client = Marionette(host="127.0.0.1", port=_port(profile, process, log))
            client.start_session()
            try:
                client.set_window_rect(width=1280, height=900)
                client.timeout.script = SCRIPT_S
                yield Firefox(client)
            finally:
                client.delete_session()
