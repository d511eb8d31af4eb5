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
