"""The web console in a real browser: headless Chromium (the Debian package, driven by its
chromedriver) signs in through the stand-in's Slack page, reads, searches and downloads,
as a fellow and as the programme team. Skipped, saying why, where Chromium is absent."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.support.cycle import file
from tests.support.programme import paris
from tests.support.results_world import campaign, mixed

pytestmark = pytest.mark.slow  # starts a browser

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and DRIVER.exists()):
    pytest.skip(
        "no /usr/bin/chromium and /usr/bin/chromedriver: apt-get install chromium chromium-driver",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="needs the test extra's selenium")
By = pytest.importorskip("selenium.webdriver.common.by").By
expected_conditions = pytest.importorskip("selenium.webdriver.support.expected_conditions")
WebDriverWait = pytest.importorskip("selenium.webdriver.support.wait").WebDriverWait
exceptions = pytest.importorskip("selenium.common.exceptions")

FELLOW, STAFF = "UWG7U498MB0", "U0CPT72AN0H"  # Yanis Girard (ACOSS-Plateforme), Louis André


@pytest.fixture
def console(workspace):
    file(workspace, "ACOSS-Plateforme", paris(2026, 3, 2, 9, 30), help_request="Un contact DINUM")
    file(workspace, "ADLER", paris(2026, 3, 2, 9, 40), priority="Secret d'ADLER")
    with workspace.services.sessions.begin() as session:
        campaign(session, mixed(3, 6), {"fellow": 4, "mentor": 8}, key="bilan:2026")
    return workspace


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=fr"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(tmp_path),
            "download.prompt_for_download": False,
            "intl.accept_languages": "fr-FR,fr",
        },
    )
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(str(DRIVER)))
    driver.set_page_load_timeout(60)
    driver.downloads = tmp_path
    yield driver
    driver.quit()


def sign_in(browser, console, user: str) -> None:
    browser.get(console.console_url)
    browser.find_element(By.LINK_TEXT, "Se connecter avec Slack").click()
    # The stand-in's Slack page: choose whom to sign in as.
    browser.find_element(By.CSS_SELECTOR, f'a[href*="login_as={user}"]').click()


def text(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def shows(browser, words: str) -> bool:
    """Whether the page shows ``words`` within 10 s (a click's page may still be loading).
    The page found may be replaced while it is read: Chromium then says its node left the
    document, and the next try reads the new page."""
    try:
        WebDriverWait(browser, 10, ignored_exceptions=(exceptions.WebDriverException,)).until(
            expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), words)
        )
    except exceptions.TimeoutException:
        return False
    return True


def wait_for_file(folder: Path, suffix: str, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded: {list(folder.iterdir())}")


def test_a_fellow_signs_in_searches_their_team_and_cannot_see_the_cohort(console, browser):
    sign_in(browser, console, FELLOW)
    assert shows(browser, "Bonjour Yanis Girard")
    browser.find_element(By.LINK_TEXT, "Bulletins des équipes").click()
    box = browser.find_element(By.NAME, "q")
    box.send_keys("dinum")
    box.submit()
    assert shows(browser, "1 bulletin contient")
    found = text(browser)
    assert "1 bulletin contient « dinum »" in found and "Un contact DINUM" in found
    assert "Secret d'ADLER" not in found
    browser.get(console.console_url + "cohort")
    assert shows(browser, "réservée à l'équipe du programme")
    browser.find_element(By.XPATH, "//button[text()='Se déconnecter']").click()
    assert shows(browser, "Se connecter avec Slack")


def test_staff_see_the_cohort_a_survey_s_results_and_download_the_snapshot(console, browser):
    sign_in(browser, console, STAFF)
    assert shows(browser, "Bonjour Louis André")
    browser.find_element(By.LINK_TEXT, "Promotion").click()
    assert shows(browser, "La promotion en un coup d'œil")
    chart = browser.find_element(By.CSS_SELECTOR, "img[src$='participation.svg']")
    drawn = "return arguments[0].complete && arguments[0].naturalWidth > 0"
    WebDriverWait(browser, 10).until(lambda b: b.execute_script(drawn, chart))
    assert "Un contact DINUM" in text(browser)
    browser.find_element(By.LINK_TEXT, "Questionnaires").click()
    assert shows(browser, "Campagnes de questionnaires")
    browser.find_element(By.LINK_TEXT, "Résultats").click()
    assert shows(browser, "Moins de 5 réponses : non affiché, pour protéger l'anonymat.")
    browser.find_element(By.LINK_TEXT, "Bilan").click()
    assert shows(browser, "Bilan d'évaluation")
    browser.find_element(By.PARTIAL_LINK_TEXT, "(ZIP)").click()
    archive = wait_for_file(browser.downloads, ".zip")
    assert archive.stat().st_size > 1000
    shutil.rmtree(browser.downloads, ignore_errors=True)
