"""The teaching page (``mtorlogic serve``): its server and API directly, then the page in a
real headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by selenium).

The browser tests share one page and run in file order: fed cells, then rapamycin toggled
on, then a node's explanation, then an exercise; the last checks the browser's console and
every request the page made. They skip, saying what to install, when Chromium, its driver
or selenium is missing. Set MTORLOGIC_PAGE_SCREENSHOT=FILE.png to also save a screenshot.
"""
from __future__ import annotations

import http.client
import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtorlogic.cli import main
from mtorlogic.web.app import Application, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FED = {"inputs": {"Insulin": 1, "Leucine": 1, "Arginine": 1, "Glucose": 1, "Oxygen": 1},
       "drugs": {}, "mutations": {}}
WAIT = 180  # seconds: generous, the machine may be shared


@pytest.fixture(scope="module")
def server():
    server = make_server(None, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def call(server, method: str, path: str, body=None, host: str | None = None):
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    headers = {"Host": host or f"127.0.0.1:{port}", "Content-Type": "application/json"}
    connection.request(method, path, None if body is None else json.dumps(body), headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    kind = response.getheader("Content-Type") or ""
    return response.status, (json.loads(data) if kind.startswith("application/json") else data)


# -- the server, without a browser ---------------------------------------------------------

def test_binds_loopback_only_and_refuses_other_hosts(server):
    assert server.server_address[0] == "127.0.0.1"
    assert call(server, "GET", "/")[0] == 200
    status, _ = call(server, "GET", "/", host="evil.example")  # DNS rebinding
    assert status == 403
    status, _ = call(server, "POST", "/api/run", FED, host=f"attacker:{server.server_address[1]}")
    assert status == 403
    assert call(server, "GET", "/../../pyproject.toml")[0] == 404


def test_api_run_gives_the_engine_statuses(server):
    from mtorlogic.readouts import run_scenario
    from mtorlogic.scenarios import load_scenario, resolve_scenario_argument

    status, data = call(server, "POST", "/api/run", FED)
    assert status == 200
    expected = run_scenario(load_scenario(resolve_scenario_argument("01_fed"))).status
    assert data["status"] == {name: str(value) for name, value in expected.items()}


def test_api_refuses_bad_settings_with_a_message(server):
    status, data = call(server, "POST", "/api/run", {"inputs": {"Insulinn": 1}})
    assert status == 400 and "unknown node 'Insulinn'" in data["error"]
    status, data = call(server, "POST", "/api/run", {"inputs": {"mTORC1": 1}})
    assert status == 400 and "not an input" in data["error"]
    status, data = call(server, "POST", "/api/simulate", {"settings": FED, "cells": 10 ** 9})
    assert status == 400 and "cells" in data["error"]
    status, data = call(server, "POST", "/api/explain", {"settings": FED, "node": "mTORC11"})
    assert status == 400 and "mTORC11" in data["error"]
    status, data = call(server, "GET", "/api/exercise?id=nope")
    assert status == 400 and "unknown exercise" in data["error"]


@pytest.mark.slow
def test_any_model_gets_toggles_for_its_inputs(tmp_path):
    model = tmp_path / "toy.bnet"
    model.write_text("targets, factors\nu, u\nv, v\na, u & !v\nb, a | v\n")
    server = make_server(str(model), 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, data = call(server, "GET", "/api/model")
        assert status == 200 and data["presets"] == [] and data["exercises"] == []
        assert [group["nodes"] for group in data["toggles"]] == [["u", "v"]]
        status, data = call(server, "POST", "/api/run", {"inputs": {"u": 1}})
        assert data["status"] == {"u": "on", "v": "off", "a": "on", "b": "on"}
        status, svg = call(server, "GET", "/api/network.svg")
        assert status == 200 and b'data-node="a"' in svg
    finally:
        server.shutdown()
        server.server_close()


def test_serve_bad_input_exits_2():
    result = CliRunner().invoke(main, ["serve", "no_such_model.bnet", "--no-browser"])
    assert result.exit_code == 2 and "no_such_model.bnet" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_serve_busy_port_exits_2(server):
    result = CliRunner().invoke(main, ["serve", "--no-browser", "--port",
                                       str(server.server_address[1])])
    assert result.exit_code == 2 and "choose another --port" in result.stderr


# -- scenario files from the person at the page (issue 16, item 7) --------------------------

SECRET = "token-5f3a9c"
"""Content of a file outside the page's reach: no answer may ever show it."""


def outside(tmp_path: Path) -> Path:
    """A file outside any folder the server reads scenarios in, holding SECRET, shaped like
    a scenario and a model so that reading it would show its content in a message."""
    secret = tmp_path / "secret.toml"
    secret.write_text(f'name = "{SECRET}"\n{SECRET} = 1\n')
    return secret


def crafted(secret: Path) -> dict[str, str]:
    """Scenario files naming ``secret`` by an absolute path and by ``../``, in each key
    that names a file."""
    climb = "../" * 30 + str(secret).lstrip("/")
    return {
        "model (absolute)": f'name = "x"\nmodel = "{secret}"\n',
        "model (../)": f'name = "x"\nmodel = "{climb}"\n',
        "initial (absolute)": f'name = "x"\nmodel = "mtor"\ninitial = "{secret}"\n',
        "initial (../)": f'name = "x"\nmodel = "mtor"\ninitial = "{climb}"\n',
        "reference (../)": f'name = "x"\nmodel = "mtor"\n[compare]\nreference = "{climb}"\n',
    }


def test_a_scenario_file_from_the_page_is_read_as_settings(server):
    text = (Path(__file__).parent.parent / "scenarios" / "01_fed.toml").read_text()
    status, data = call(server, "POST", "/api/scenario", {"name": "mine.toml", "text": text})
    assert status == 200, data
    assert data["settings"] == FED and data["name"].startswith("Fed cells")


def test_a_scenario_file_from_the_page_cannot_reach_other_files(server, tmp_path):
    secret = outside(tmp_path)
    for case, text in crafted(secret).items():
        status, data = call(server, "POST", "/api/scenario", {"name": "mine.toml", "text": text})
        assert status == 400, (case, data)
        message = data["error"]
        key = case.split()[0]
        assert message.startswith("mine.toml:") and f"{key}: " in message, (case, message)
        assert "confined" in message, (case, message)
        assert SECRET not in message and "mtorlogic-page-" not in message, (case, message)
    # the name sent is a file name only (the file is written in the page's own folder)
    status, data = call(server, "POST", "/api/scenario",
                        {"name": "../../x.toml", "text": 'name = "x"\nmodel = "other.bnet"\n'})
    assert status == 400 and data["error"].startswith("x.toml:2: model:"), data
    status, data = call(server, "POST", "/api/scenario",
                        {"name": "a b;.toml", "text": 'name = "x"\nmodel = "other.bnet"\n'})
    assert status == 400 and data["error"].startswith("scenario.toml:2: model:"), data
    status, data = call(server, "POST", "/api/scenario", {"text": 3})
    assert status == 400 and "expected {name, text}" in data["error"]


# -- the page in headless Chromium ---------------------------------------------------------

@pytest.fixture(scope="module")
def page(server):
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="browser tests need selenium: pip install '.[test]'")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("browser tests need Debian's Chromium and its driver: "
                    "apt-get install chromium chromium-driver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1600,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        driver.get(server.url)
        until(driver, lambda d: d.find_element("tag name", "body").get_attribute("data-ready"))
        yield driver
    finally:
        driver.quit()


def until(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.2).until(condition)


def value_of(driver, node: str) -> str:
    return driver.find_element("css selector", f'#network rect[data-node="{node}"]'
                               ).get_attribute("data-value")


def idle(driver) -> bool:
    return not driver.find_element("id", "busy").is_displayed()


@pytest.mark.slow
def test_page_opens_on_fed_cells(page):
    assert page.find_element("css selector", 'input[data-node="Insulin"]').is_selected()
    assert not page.find_element("css selector", 'input[data-node="Rapamycin"]').is_selected()
    assert value_of(page, "mTORC1") == "on" and value_of(page, "S6K1") == "on"
    from mtorlogic.readouts import run_scenario
    from mtorlogic.scenarios import load_scenario, resolve_scenario_argument

    status = run_scenario(load_scenario(resolve_scenario_argument("01_fed"))).status
    shown = {rect.get_attribute("data-node"): rect.get_attribute("data-value")
             for rect in page.find_elements("css selector", "#network rect[data-node]")}
    assert shown == {name: str(value) for name, value in status.items()}
    assert "mTORC1 on" in page.find_element("id", "summary").text
    until(page, lambda d: d.find_element("css selector", "#timecourse svg"))


@pytest.mark.slow
def test_toggling_rapamycin_recolours_the_network_and_draws_the_time_course(page):
    page.find_element("css selector", 'input[data-node="Rapamycin"]').click()
    until(page, lambda d: value_of(d, "mTORC1") == "off")
    until(page, lambda d: d.find_element("id", "timecourse").get_attribute("data-title")
          == "after the change" and idle(d))
    assert value_of(page, "S6K1") == "off"
    assert value_of(page, "mTORC1_kinase") == "on"  # the FRB-independent kinase (README)
    assert value_of(page, "EIF4EBP1") == "off"  # p-4E-BP1 persists under rapamycin
    rect = page.find_element("css selector", '#network rect[data-node="mTORC1"]')
    assert rect.get_attribute("fill") == "#eceff1"  # drawn as off
    activity = json.loads(page.find_element("id", "timecourse").get_attribute("data-activity"))
    assert activity["mTORC1"][0] == 1.0 and activity["mTORC1"][-1] < 0.1  # fed -> drug


@pytest.mark.slow
def test_clicking_a_node_shows_its_explanation(page, server):
    from mtorlogic.analysis.explain import explain

    page.find_element("css selector", '#network rect[data-node="mTORC1"]').click()
    until(page, lambda d: d.find_element("id", "explanation").get_attribute("data-node")
          == "mTORC1" and idle(d))
    shown = page.find_element("css selector", "#explanation pre").text
    settings = {**FED, "drugs": {"Rapamycin": 1}}
    expected = explain(Application.load(None).scenario(settings), "mTORC1").text()
    assert shown.strip() == expected.strip()
    assert "Rapamycin" in shown
    assert page.find_elements("css selector", "#explanation svg rect[data-node]")
    # a clicked node joins the time course
    page.find_element("css selector", '#network rect[data-node="RHEB"]').click()
    until(page, lambda d: "RHEB" in json.loads(
        d.find_element("id", "timecourse").get_attribute("data-activity")) and idle(d))
    page.find_element("css selector", '#network rect[data-node="mTORC1"]').click()
    until(page, lambda d: d.find_element("id", "explanation").get_attribute("data-node")
          == "mTORC1" and idle(d))
    path = os.environ.get("MTORLOGIC_PAGE_SCREENSHOT")
    if path:
        page.save_screenshot(path)


@pytest.mark.slow
def test_an_exercise_predict_check_explain_score(page):
    from mtorlogic.analysis.exercises import grade, load_exercise, resolve_exercise

    page.find_element("id", "tab-exercises").click()
    page.find_element("css selector", '#exercise-list button[data-exercise="08_rapamycin"]'
                      ).click()
    until(page, lambda d: d.find_elements("css selector", "#answers select"))
    exercise = load_exercise(resolve_exercise("08_rapamycin"))
    first = exercise.questions[0]
    from selenium.webdriver.support.ui import Select

    answers = {}
    for node in first.nodes:  # predict "off" everywhere in the first question
        Select(page.find_element("css selector", f'select[name="{first.id}:{node}"]')
               ).select_by_value("off")
        answers[node] = "off"
    page.find_element("id", "check").click()
    until(page, lambda d: d.find_element("id", "score").text.startswith("Score:"))
    graded = grade(exercise, {first.id: answers})
    assert page.find_element("id", "score").text == f"Score: {graded.score} / {graded.out_of}"
    marks = page.find_elements("css selector", ".mark")
    assert len(marks) == graded.out_of
    assert sum("correct" in m.get_attribute("class").split() for m in marks) == graded.score
    wrong = [m for m in marks if "wrong" in m.get_attribute("class").split()]
    assert wrong and all(m.find_elements("css selector", "pre") for m in wrong)


@pytest.mark.slow
def test_console_is_clean_and_no_request_leaves_the_machine(page, server):
    errors = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    urls = []
    for entry in page.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    assert any(url.endswith("/api/explain") for url in urls)
    assert urls and all(url.startswith((server.url, "data:")) for url in urls), \
        [url for url in urls if not url.startswith(server.url)]


@pytest.mark.slow
def test_opening_a_crafted_scenario_file_shows_why_and_nothing_else(page, tmp_path):
    # after the console test: a refused file is a 400, which Chromium logs as an error
    secret = outside(tmp_path)
    opener = page.find_element("id", "scenario-file")
    bad = tmp_path / "mine.toml"
    bad.write_text(crafted(secret)["initial (../)"])
    opener.send_keys(str(bad))
    until(page, lambda d: d.find_element("id", "error").is_displayed())
    shown = page.find_element("id", "error").text
    assert shown.startswith("mine.toml:") and "initial" in shown and "confined" in shown
    assert SECRET not in page.page_source
    good = tmp_path / "starved.toml"
    good.write_text('name = "no amino acids"\nmodel = "mtor"\n[inputs]\nInsulin = 1\n'
                    'Glucose = 1\nOxygen = 1\n')
    opener.send_keys(str(good))
    until(page, lambda d: value_of(d, "mTORC1") == "off" and idle(d))
    assert not page.find_element("css selector", 'input[data-node="Leucine"]').is_selected()
    assert page.find_element("css selector", 'input[data-node="Insulin"]').is_selected()


# -- `mtorlogic serve` as a user runs it: limits and Ctrl-C ---------------------------------

HARD = (Path(__file__).parent / "data" / "bench" / "hard"
        / "bbm004_erbb_receptor_signaling__in0.bnet")


@pytest.mark.slow
def test_serve_bounds_each_search_and_stops_on_ctrl_c(tmp_path):
    # The page's searches ran in the request threads, where a time budget cannot reach
    # aeon: a hard model kept the page (and a CPU) busy for good. `serve` now runs them in
    # its main thread, with the limit options.
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from mtorlogic.cli import main; sys.exit(main())",
         "serve", str(HARD), "--no-browser", "--port", "0", "--max-seconds", "1"],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = process.stderr.readline()
        assert " at http://127.0.0.1:" in line, line
        port = int(line.split("127.0.0.1:")[1].split("/")[0])

        class Running:
            server_address = ("127.0.0.1", port)

        began = time.monotonic()
        status, data = call(Running, "POST", "/api/run", {"inputs": {}})
        assert status == 400 and "ran out of time (limit 1.0)" in data["error"], data
        assert time.monotonic() - began < 30
        assert call(Running, "GET", "/api/model")[0] == 200  # the page is still up
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 130 and stderr.strip() == "mtorlogic: interrupted", \
            (process.returncode, stderr)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.communicate()
