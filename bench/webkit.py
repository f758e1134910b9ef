"""WebKitGTK through Debian's WebKitWebDriver (W3C WebDriver) and Selenium's
Remote driver. MiniBrowser has no headless mode, so it draws on an Xvfb
display that this module starts, and names to the driver only."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.client_config import ClientConfig
from selenium.webdriver.remote.remote_connection import RemoteConnection
from selenium.webdriver.webkitgtk.options import Options

from bench.engines import minibrowser_path, webkit_driver_path, xvfb_path
from bench.processes import free_port, stopped, wait_listening
from bench.tab import CENTER

START_S = 30
# A script may await a cold start (see bench.tab.Tab.js).
SCRIPT_S = 180


class WebKitTab:
    """The Tab protocol (bench.tab) over one WebDriver session."""

    def __init__(self, driver: webdriver.Remote) -> None:
        self.driver = driver

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def js(self, body: str, *args: Any) -> Any:
        return self.driver.execute_script(body, *args)

    def _centred(self, css: str) -> Any:
        element = self.driver.find_element(By.CSS_SELECTOR, css)
        self.driver.execute_script(CENTER, element)
        return element

    def click(self, css: str) -> None:
        self._centred(css).click()

    def replace_text(self, css: str, text: str) -> None:
        self._centred(css).click()
        chain = ActionChains(self.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL)
        chain.send_keys(text).perform()


class WebKit:
    """A running MiniBrowser: the Browser protocol (bench.tab)."""

    name = "webkit"

    def __init__(self, driver: webdriver.Remote) -> None:
        self.driver = driver
        self.first_window = driver.current_window_handle

    @contextmanager
    def new_tab(self) -> Iterator[WebKitTab]:
        # A window, not a tab: MiniBrowser opens a tab behind the current one,
        # where the page is hidden (document.visibilityState) and WebKit
        # throttles its timers, which no reader's tab is.
        self.driver.switch_to.new_window("window")
        self.driver.set_window_rect(width=1280, height=900)
        try:
            yield WebKitTab(self.driver)
        finally:
            # A closed page takes its workers with it (a stopped Wasm loop
            # in WebKitGTK 2.50 runs on until then).
            self.driver.close()
            self.driver.switch_to.window(self.first_window)


@contextmanager
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb server on a display number it picks itself (-displayfd)."""
    read, write = os.pipe()
    command = [
        xvfb_path(),
        "-displayfd",
        str(write),
        "-nolisten",
        "tcp",
        "-screen",
        "0",
        "1280x1024x24",
    ]
    try:
        process = subprocess.Popen(
            command, pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    finally:
        os.close(write)
    with stopped(process), os.fdopen(read, "rb") as pipe:
        number = pipe.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb exited ({process.wait()}) without a display")
        yield f":{int(number)}"


def options() -> Options:
    chosen = Options()
    chosen.binary_location = minibrowser_path()
    # MiniBrowser runs as an automation target (WebKitWebDriver's own example).
    chosen.add_argument("--automation")
    return chosen


@contextmanager
def launch_webkit() -> Iterator[WebKit]:
    """MiniBrowser on its own Xvfb display, driven by WebKitWebDriver on a free port."""
    with xvfb_display() as display:
        port = free_port()
        command = [webkit_driver_path(), f"--port={port}", "--host=127.0.0.1"]
        env = dict(os.environ, DISPLAY=display, GDK_BACKEND="x11")
        env.pop("WAYLAND_DISPLAY", None)
        with stopped(
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ) as driver_process:
            wait_listening(port, driver_process, START_S, "WebKitWebDriver")
            # A connection made here, not from a URL: from a URL, Selenium 4.51
            # passes it on in a way that it has itself deprecated (a warning).
            config = ClientConfig(
                remote_server_addr=f"http://127.0.0.1:{port}", timeout=SCRIPT_S + 60
            )
            connection = RemoteConnection(client_config=config)
            driver = webdriver.Remote(command_executor=connection, options=options())
            try:
                driver.set_window_rect(width=1280, height=900)
                driver.set_script_timeout(SCRIPT_S)
                yield WebKit(driver)
            finally:
                driver.quit()
