"""The pages in headless Chromium: stories, a story, Swedish search, and a hostile article that must not run.

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``, ``/usr/bin/chromedriver``)
and the ``selenium`` package; the tests skip with the reason when one is missing. With
``SCREENSHOTS_DIR=DIR`` they also save PNG screenshots of the stories and story pages in DIR.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from tests.web.conftest import CHROMEDRIVER, CHROMIUM, HOSTILE, LiveServer
from tests.web.test_search import SWEDISH_QUERY

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium driven through chromedriver (skips when either is absent)."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(
            f"browser tests need {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver"
        )
    webdriver = pytest.importorskip("selenium.webdriver", reason="browser tests need `pip install selenium`")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _screenshot(driver: Any, name: str, width: int = 1280) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder:
        return
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(width, min(max(height, 600), 3000))
    Path(folder).mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(Path(folder) / f"{name}.png"))
    driver.set_window_size(1280, 1000)


def test_stories_page_in_a_browser(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(live_server.url + "/")
    Select(browser.find_element(By.NAME, "window")).select_by_value("all")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "window=all" in d.current_url)
    cards = browser.find_elements(By.CSS_SELECTOR, "article.story h2 a")
    assert len(cards) >= 3
    assert browser.execute_script("return getComputedStyle(document.body).marginTop") == "0px"  # CSS loaded
    _screenshot(browser, "stories")


def test_story_page_in_a_browser(
    browser: Any, live_server: LiveServer, largest_story: dict[str, Any]
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server.url}/stories/{largest_story['id']}")
    assert browser.find_element(By.CSS_SELECTOR, "svg.timeline circle")
    reports = browser.find_elements(By.CSS_SELECTOR, "article.report")
    assert len(reports) == largest_story["reports"]
    aligned = browser.find_elements(By.CSS_SELECTOR, ".report [data-fact]")
    if aligned:  # hovering one sentence of a fact highlights it in every report that states it
        fact = aligned[0].get_attribute("data-fact")
        ActionChains(browser).move_to_element(aligned[0]).perform()
        lit = browser.find_elements(By.CSS_SELECTOR, ".hl")
        assert lit and all(el.get_attribute("data-fact") == fact for el in lit)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    _screenshot(browser, "story")


def test_swedish_search_finds_the_english_report(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(live_server.url + "/search")
    box = browser.find_element(By.CSS_SELECTOR, "form.search-form input[name=q]")
    box.send_keys(SWEDISH_QUERY, Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results"))
    hits = browser.find_elements(By.CSS_SELECTOR, "#results li.hit a")
    hrefs = [h.get_attribute("href") for h in hits[:8]]
    assert any("/articles/danube-barge-collision-en" in (href or "") for href in hrefs), hrefs
    assert any(h.get_attribute("lang") == "en" for h in browser.find_elements(By.CSS_SELECTOR, "li.hit"))


def test_hostile_article_does_not_run(browser: Any, live_server: LiveServer) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    pages = [
        "/articles/" + quote(HOSTILE["id"], safe=""),
        "/?" + urlencode({"window": "all", "sort": "recent"}),
        "/search?" + urlencode({"q": "Valderhavn storm"}),
    ]
    story_id = None
    for path in pages:
        browser.get(live_server.url + path)
        for element in browser.find_elements(By.CSS_SELECTOR, "main h1, main .text p, main .snippet")[:8]:
            try:
                ActionChains(browser).move_to_element(element).perform()
            except Exception:
                continue
        assert browser.execute_script("return window.__pwned === undefined"), f"script ran on {path}"
        assert not browser.find_elements(
            By.CSS_SELECTOR, "main script, main img, main svg[onload], main iframe"
        )
        assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
        if path.startswith("/articles/"):
            heading = browser.find_element(By.TAG_NAME, "h1").text
            assert "<script>" in heading and "<img" in heading  # shown as text
            assert (
                "<script>window.__pwned='text'</script>"
                in browser.find_element(By.CSS_SELECTOR, ".text").text
            )
            links = browser.find_elements(By.XPATH, "//main//a[starts-with(@href, '/stories/')]")
            story_id = links[0].get_attribute("href").rsplit("/", 1)[1] if links else None
    if story_id:
        browser.get(f"{live_server.url}/stories/{story_id}")
        assert browser.execute_script("return window.__pwned === undefined")
