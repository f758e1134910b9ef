"""Stop-to-idle in each engine (Chromium, Firefox, WebKitGTK).

On a page with two demos, A (`while True: pass`) and B (`print(1)`): A runs,
then Stop is clicked on A; measured in the page from that click, (s) until A
is `stopped`, and (r) until B, clicked at that moment, shows its first output.
Both are printed against (w), the click-to-first-output of B on a warm
worker, measured in the same browser. A soft stop (an isolated page) keeps
the interpreter; a terminated worker must boot again.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from bench.chromium import launch_chromium
from bench.demo_widget import first_visit, open_demo, root_of, run, wait_state
from bench.firefox import launch_firefox
from bench.harness import bind, build_site, serve, url_of
from bench.tab import Browser, Tab
from bench.webkit import launch_webkit
from bench.workspace import add_pages, make_workspace

ROUNDS = 3
_DEMO_ID = re.compile(r'data-demo-id="([0-9a-f]+)"')

PAGE = """# Bench Stop

```demo title="Loop"
while True:
    pass
```

```demo title="Print"
print(1)
```
"""

# Click Run on a widget; resolve with the ms until its output has text.
CLICK_TO_OUTPUT = """
const root = document.querySelector(arguments[0]);
const output = root.querySelector("[data-demo-output]");
return new Promise((resolve) => {
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (output.textContent.trim()) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(output, { childList: true, subtree: true, characterData: true });
  root.querySelector("[data-demo-run]").click();
});
"""

# Click Stop on the looping widget; when it is stopped, click Run on the other.
STOP_THEN_RUN = """
const [loop, other] = [document.querySelector(arguments[0]), document.querySelector(arguments[1])];
const output = other.querySelector("[data-demo-output]");
return new Promise((resolve) => {
  const t0 = performance.now();
  let stopped = null;
  const check = () => {
    if (stopped === null && loop.dataset.demoState === "stopped") {
      stopped = performance.now() - t0;
      other.querySelector("[data-demo-run]").click();
    } else if (stopped !== null && output.textContent.trim()) {
      observer.disconnect();
      resolve({ stopped, output: performance.now() - t0 });
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  loop.querySelector("[data-demo-stop]").click();
});
"""

ENGINES: dict[str, Callable[[], AbstractContextManager[Browser]]] = {
    "chromium": launch_chromium,
    "firefox": launch_firefox,
    "webkit": launch_webkit,
}


@dataclass
class Measured:
    """One engine's figures in ms; `failure` says where it gave up, if it did."""

    warm: list[float] = field(default_factory=list)
    stopped: list[float] = field(default_factory=list)
    output: list[float] = field(default_factory=list)
    isolated: bool = False
    failure: str = ""


def measure(tab: Tab, page_url: str, loop: str, printer: str, into: Measured) -> None:
    open_demo(tab, page_url)
    assert run(tab, printer) == "done"  # cold: Python downloads and boots
    into.isolated = bool(tab.js("return self.crossOriginIsolated;"))
    for _ in range(ROUNDS):
        into.warm.append(float(tab.js(CLICK_TO_OUTPUT, printer)))
        wait_state(tab, printer, ("done",))
    for _ in range(ROUNDS):
        tab.click(f"{loop} [data-demo-run]")
        wait_state(tab, loop, ("running",))
        time.sleep(0.3)
        timing = tab.js(STOP_THEN_RUN, loop, printer)
        into.stopped.append(float(timing["stopped"]))
        into.output.append(float(timing["output"]))
        wait_state(tab, printer, ("done",))


def one_engine(
    launch: Callable[[], AbstractContextManager[Browser]], base: str, site: Path
) -> Measured:
    ids = _DEMO_ID.findall((site / "bench-stop/index.html").read_text())
    loop, printer = root_of(ids[0]), root_of(ids[1])
    measured = Measured()
    try:
        with launch() as browser:
            if (site / "coi-sw.js").is_file():
                with browser.new_tab() as tab:
                    first_visit(tab, base)
            with browser.new_tab() as tab:
                measure(tab, base + "bench-stop/", loop, printer, measured)
    except Exception as error:  # a broken engine is a finding, not the end of the bench
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        measured.failure = f"{type(error).__name__}: {first_line}"
    return measured


def report(name: str, measured: Measured) -> None:
    how = "soft interrupt (isolated)" if measured.isolated else "terminate (not isolated)"
    print(f"{name}: {how}")
    if measured.warm:
        warm = statistics.median(measured.warm)
        print(f"    (w) warm click-to-first-output {warm:.0f} ms (median of {len(measured.warm)})")
        for i, (stopped, output) in enumerate(zip(measured.stopped, measured.output, strict=True)):
            print(
                f"    round {i + 1}: (s) Stop to stopped {stopped:.0f} ms = {stopped / warm:.1f}x (w); "
                f"(r) to the next Run's first output {output:.0f} ms = {output / warm:.1f}x (w)"
            )
    if measured.failure:
        print(f"    failed after {len(measured.stopped)} of {ROUNDS} rounds: {measured.failure}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="stop-bench-") as tmp:
        httpd = bind()
        workspace = make_workspace(Path(tmp) / "workspace")
        add_pages(workspace, {"bench-stop.md": PAGE})
        site = Path(tmp) / "site"
        build_site(site, site_url=url_of(httpd), cwd=workspace)
        with serve(site, httpd) as base:
            for name, launch in ENGINES.items():
                report(name, one_engine(launch, base, site))


if __name__ == "__main__":
    main()
