"""Drive pages in headless Chromium as a reader does: selenium with Debian's chromium and driver.

One browser per test module (`browser` fixture); `open_page` sets a true viewport width (phones
too, below headless Chromium's minimum window), `horizontal_overflow` measures sideways
scrolling, `axe_violations` runs the vendored axe-core (tests/support/vendor, MPL-2.0) for
WCAG 2.1 A/AA, and `requests_leaving` lists the network requests a page made outside its own
folder. CI installs the Debian packages (.ci/run).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def _first(paths: tuple[str, ...], name: str) -> str:
    found = next((p for p in paths if Path(p).exists()), None) or shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"{name} not found: install the Debian packages chromium and chromium-driver"
        )
    return found


def start_browser() -> webdriver.Chrome:
    """A headless Chromium with a throwaway profile and its network log kept."""
    options = webdriver.ChromeOptions()
    options.binary_location = _first(CHROMIUM, "chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--allow-file-access-from-files",
        "--window-size=1000,1400",
        "--lang=fi",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path=_first(CHROMEDRIVER, "chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    """One headless Chromium for the test module."""
    driver = start_browser()
    try:
        yield driver
    finally:
        driver.quit()


def open_page(
    driver: webdriver.Chrome, url: str | Path, width: int = 1000, height: int = 900
) -> None:
    """Open `url` (a path or URL) in a viewport exactly `width` CSS px wide, as on a phone."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(Path(url).resolve().as_uri() if isinstance(url, Path) else url)


def horizontal_overflow(driver: webdriver.Chrome) -> int:
    """How many CSS px the page is wider than its viewport (0 = no sideways scrolling)."""
    return int(
        driver.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth;"
        )
    )


def axe_violations(
    driver: webdriver.Chrome, tags: tuple[str, ...] = WCAG_AA, disable: tuple[str, ...] = ()
) -> list[dict[str, object]]:
    """Run axe-core on the open page; return its violations (id, impact, help, nodes' targets)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    options = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "rules": {r: {"enabled": False} for r in disable},
    }
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));",
        options,
    )
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in json.loads(result)
    ]


def requests_leaving(driver: webdriver.Chrome, folder: Path) -> list[str]:
    """URLs requested since the last call that are not files inside `folder` (nor data:, blob:)."""
    inside = folder.resolve().as_uri()
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [
        u for u in urls if not (u.startswith(inside) or u.startswith(("data:", "blob:", "about:")))
    ]
