"""Drives the dashboard in headless Chromium against a live API, ZooKeeper and manager.

    browser.py API_URL KEY_FILE OUT_DIR BALANCER_PORT

Signs in (Sign out shows only then), creates an endpoint from the tcp template (after seeing the
field error of a bad value), checks that its page opens on the overview, starts it (the state
buttons show the state), watches its instances, addresses, decisions, metric bands and activity
appear on the overview (also after a reload, from the log), drops a held session, reads the log,
sees the problem of an endpoint whose balancer port is taken in the list and on its page, visits
every page at 1280x800 and on a phone-sized window, checks keyboard navigation and that no key
lands in browser storage, removes the admin key (Sign out goes), and fails on browser console
errors. Prints TAP-like lines ("ok - ..." / "not ok - ..."); every wait has a deadline.
Screenshots go to OUT_DIR.
"""
import re
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

api, key_file, out, balancer_port = sys.argv[1:5]
key = open(key_file).read().strip()
started = time.monotonic()
failures = 0


def ok(what):
    print(f"ok - {what}  [{time.monotonic() - started:.0f} s]", flush=True)


def not_ok(what, detail=""):
    global failures
    failures += 1
    print(f"not ok - {what}  [{time.monotonic() - started:.0f} s]", flush=True)
    for line in str(detail).splitlines()[:15]:
        print(f"#   {line}", flush=True)


def rest(method, path, body=None):
    """The API as a script calls it (with X-Auth-Key), to check what the browser did."""
    request = urllib.request.Request(api + path, method=method, headers={"X-Auth-Key": key, "Accept": "application/json"})
    if body is not None:
        request.data = json.dumps(body).encode()
    with urllib.request.urlopen(request, timeout=5) as answer:
        text = answer.read()
        return json.loads(text) if text else None


options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,800", "--no-first-run", "--disable-extensions"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
driver.set_page_load_timeout(20)
driver.set_script_timeout(10)
console = []


def collect_console():
    try:
        console.extend(driver.get_log("browser"))
    except WebDriverException:
        pass


def shot(name, whole=False):
    """Saves a screenshot; `whole`: of the whole page (the window made as tall, then put back)."""
    os.makedirs(out, exist_ok=True)
    size = driver.get_window_size()
    if whole:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], min(max(height + 160, size["height"]), 3000))
        time.sleep(0.5)
    driver.save_screenshot(os.path.join(out, name + ".png"))
    if whole:
        driver.set_window_size(size["width"], size["height"])


def wait(what, seconds, condition):
    """Waits up to SECONDS for CONDITION(driver) to be truthy; returns it, or raises Stop."""
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(condition)
    except TimeoutException:
        raise Stop(what, f"not within {seconds} s; page: {driver.current_url}\n" + driver.find_element(By.TAG_NAME, "main").text[:800])


class Stop(Exception):
    def __init__(self, what, detail):
        super().__init__(what)
        self.what, self.detail = what, detail


def css(selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def text_of(selector):
    return lambda d: " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, selector)).strip()


def check(what, seconds, condition):
    result = wait(what, seconds, condition)
    ok(what)
    return result


def go(route):
    driver.execute_script("location.hash = arguments[0]", route)


def field(name):
    return css(f'[data-field="{name}"] input, [data-field="{name}"] select')


def set_field(name, value):
    element = field(name)
    element.clear()
    element.send_keys(value)


def expect(what, holds, detail=""):
    ok(what) if holds else not_ok(what, detail)


def served(path):
    """Whether the API has the route (the summary and conditions routes are newer than some APIs)."""
    try:
        rest("GET", path)
        return True
    except urllib.error.HTTPError as error:
        return error.code != 404


def signout_shown(d):
    return d.find_element(By.ID, "signout").is_displayed()


def buttons(d):
    """{action: (aria-pressed, class)} of the state buttons."""
    return {b.get_attribute("data-action"): (b.get_attribute("aria-pressed"), b.get_attribute("class"))
            for b in d.find_elements(By.CSS_SELECTOR, "button[data-action]")}


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


held = None
try:
    # --- sign in ----------------------------------------------------------------------------
    driver.get(api + "/")
    check("a browser on / gets the dashboard's sign-in form (an admin key is set)", 15,
          lambda d: d.find_elements(By.ID, "signin-key"))
    shot("signin")
    expect("Sign out is not offered on the sign-in form", not signout_shown(driver))
    css("#signin-key").send_keys("not-the-key", Keys.ENTER)
    check("a wrong key is refused with a message", 10, lambda d: "not the admin key" in text_of(".signin-message")(d))
    css("#signin-key").clear()
    css("#signin-key").send_keys(key, Keys.ENTER)
    check("signing in with the admin key shows the overview", 15, lambda d: text_of("main h1")(d) == "Overview")
    check("Sign out is offered once signed in (an admin key is set)", 10, signout_shown)
    storage = driver.execute_script("return [localStorage.length, sessionStorage.length, document.cookie]")
    if storage[0] == 0 and storage[1] == 0 and "reactor_session" not in storage[2]:
        ok("nothing is kept in browser storage and the cookie is HttpOnly (invisible to scripts)")
    else:
        not_ok("nothing is kept in browser storage", storage)
    check("the overview's live graphs show /v1.1/info values", 15,
          lambda d: all(v.text not in ("", "–") for v in d.find_elements(By.CSS_SELECTOR, ".chart-value"))
          and len(d.find_elements(By.CSS_SELECTOR, ".chart-value")) == 4)
    check("the overview links the running manager", 20, lambda d: d.find_elements(By.CSS_SELECTOR, "#overview-managers a.manager-link"))

    # --- create an endpoint from the tcp template -------------------------------------------
    go("#/endpoints")
    check("the endpoints page lists none yet", 10, lambda d: "No endpoints yet" in text_of("#endpoint-table")(d))
    css("#new-endpoint").click()
    check("the new-endpoint page offers the templates", 10,
          lambda d: len(d.find_elements(By.CSS_SELECTOR, ".templates input[type=radio]")) == 6
          and d.find_elements(By.CSS_SELECTOR, '[data-field="endpoint.url"] input'))
    css("#new-name").send_keys("web")
    css("#template-tcp").click()
    wait("the tcp template fills the form", 5, lambda d: field("endpoint.loadbalancer").get_attribute("value") == "tcp")
    set_field("endpoint.url", f"tcp://127.0.0.1:{balancer_port}")
    set_field("scaling.max_instances", "lots")
    css("#create-endpoint").click()
    message = check("a bad max_instances gets the API's error beside the field", 10,
                    lambda d: text_of('[data-field="scaling.max_instances"] .field-error')(d))
    print(f"#   the error shown: {message}")
    if driver.switch_to.active_element == field("scaling.max_instances"):
        ok("the focus moves to the field in error")
    else:
        not_ok("the focus moves to the field in error")
    shot("new-endpoint-error")
    set_field("scaling.max_instances", "3")
    css("#create-endpoint").click()
    check("fixing it creates the endpoint and opens its page", 10,
          lambda d: d.current_url.endswith("#/endpoints/web") and text_of("main h1")(d) == "web")
    tabs = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "nav.tabs a")]
    expect("the page opens on its Overview, the first tab, with the configuration second",
           tabs[:2] == ["overview", "configuration"]
           and css("#tab-overview").get_attribute("aria-current") == "page", tabs)
    check("the overview says there is no decision yet and no problem", 10,
          lambda d: "No decision yet" in text_of("#endpoint-decision")(d)
          and "No problem" in text_of("#endpoint-conditions")(d))
    check("a new endpoint is PAUSED: Pause is pressed and reads Paused; Start is the highlighted action", 10,
          lambda d: buttons(d) == {"start": ("false", "primary"), "stop": ("false", "quiet"), "pause": ("true", "current")}
          and css("#action-pause").text == "Paused")
    css("#tab-configuration").click()
    check("its configuration form (own tab) shows what was saved", 10,
          lambda d: field("scaling.max_instances").get_attribute("value") == "3")
    stored = rest("GET", "/v1.1/endpoints/web")
    if stored["endpoint"]["url"] == f"tcp://127.0.0.1:{balancer_port}" and stored["scaling"]["max_instances"] == 3:
        ok("the API holds the configuration the form sent")
    else:
        not_ok("the API holds the configuration the form sent", stored)
    shot("endpoint-configuration")

    # --- start it, watch its instances and addresses ----------------------------------------
    css("#action-start").click()
    check("Start sets the endpoint RUNNING", 10, lambda d: text_of("#endpoint-state")(d) == "RUNNING")
    check("RUNNING: Start is pressed, reads Running and is not highlighted; Stop and Pause are quiet", 10,
          lambda d: buttons(d) == {"start": ("true", "current"), "stop": ("false", "quiet"), "pause": ("false", "quiet")}
          and css("#action-start").text == "Running")
    css("#tab-instances").click()
    check("its instances appear (active)", 60, lambda d: d.find_elements(By.CSS_SELECTOR, "#instances-active li:not(.muted)"))
    shot("endpoint-instances")
    css("#tab-addresses").click()
    check("their confirmed addresses appear", 60, lambda d: "Drop 127." in text_of("#address-list")(d))
    shot("endpoint-addresses")

    # --- a held connection is a session; drop it --------------------------------------------
    deadline = time.monotonic() + 30
    while held is None and time.monotonic() < deadline:
        try:
            held = socket.create_connection(("127.0.0.1", int(balancer_port)), timeout=2)
            held.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # unfinished request: the connection stays open
        except OSError:
            held = None
            time.sleep(0.5)
    if held is None:
        raise Stop("a connection through the balancer opens", f"nothing listens on {balancer_port}")
    css("#tab-sessions").click()
    check("the held connection shows as a session", 40, lambda d: d.find_elements(By.CSS_SELECTOR, "tr[data-session]"))
    shot("endpoint-sessions")
    css(".drop-session").click()
    check("Drop removes the session", 60, lambda d: not d.find_elements(By.CSS_SELECTOR, "tr[data-session]"))
    held.settimeout(10)
    try:
        cut = held.recv(1) == b""
    except (socket.timeout, ConnectionResetError):
        cut = True
    ok("the balancer cut the dropped connection") if cut else not_ok("the balancer cut the dropped connection")

    # --- the overview: owner, instances against the target, decision, graphs, activity -------
    css("#tab-overview").click()
    owner = check("the overview names the owner by its manager name (not its uuid)", 20,
                  lambda d: text_of("#endpoint-owner a.manager-link")(d) == "dashboard" and text_of("#endpoint-owner")(d))
    expect("no uuid is shown for the owner", not UUID.search(owner), owner)
    check("the overview shows the instances against the target", 30,
          lambda d: re.fullmatch(r"\d+ active, target \d+", text_of("#endpoint-instances")(d)))
    check("the last decision is one sentence with its reason", 20,
          lambda d: re.match(r"target \d+", text_of("#endpoint-decision")(d)))

    def count_points(d):
        return [int(p.get_attribute("data-points")) for p in d.find_elements(By.CSS_SELECTOR, "#count-chart polyline")]
    check("the instances-and-target graph has both series with points", 20,
          lambda d: len(count_points(d)) == 2 and min(count_points(d)) >= 2)
    mark = check("decisions are marked on it, the reason shown on hover", 20,
                 lambda d: d.execute_script(
                     "const t = document.querySelector('#count-chart .chart-mark title'); return t && t.textContent"))
    print(f"#   a mark's reason: {mark}")
    expect("the mark's reason names the rule", "rule" in mark or "min_instances" in mark, mark)
    check("the rule's metric has a graph with the rule's band and points", 20,
          lambda d: d.find_elements(By.CSS_SELECTOR, '#rule-metric-charts .chart[data-metric="active"] rect.band')
          and int(css('#rule-metric-charts .chart[data-metric="active"] polyline').get_attribute("data-points")) >= 2)
    expect("the metric graph says what its numbers are (per instance now, peak, the rule's band)",
           text_of('#rule-metric-charts .chart-value-label')(driver) == "per instance now"
           and text_of('#rule-metric-charts .chart-scale')(driver).startswith("peak")
           and "2 <= active <= 8" in text_of('#rule-metric-charts .chart-scale')(driver),
           text_of('#rule-metric-charts')(driver))
    check("the activity list shows the launches", 20, lambda d: d.find_elements(By.CSS_SELECTOR, "#activity li.activity-launch"))
    time.sleep(4)
    shot("endpoint-overview", whole=True)
    driver.refresh()
    check("after a reload the graph starts from the log: decision marks at once", 15,
          lambda d: d.find_elements(By.CSS_SELECTOR, "#count-chart .chart-mark")
          and d.find_elements(By.CSS_SELECTOR, "#activity li.activity-launch"))
    check("and its counts reach back before the reload", 10,
          lambda d: count_points(d) and min(count_points(d)) >= 2)

    # --- metrics and log --------------------------------------------------------------------
    css("#tab-metrics").click()
    check("the metrics tab draws a graph per metric", 30, lambda d: d.find_elements(By.CSS_SELECTOR, "#metric-charts .chart"))
    expect("its cards say what the numbers are", "per instance now" in text_of("#metric-charts .chart-value-label")(driver)
           and "peak" in text_of("#metric-charts .chart-scale")(driver) and "max" not in text_of("#metric-charts .chart-scale")(driver))
    time.sleep(3)
    shot("endpoint-metrics")
    css("#tab-log").click()
    check("the log tab shows the manager's decisions (a launch)", 20, lambda d: "launched instance" in text_of("#log-entries")(d))
    check("log lines link the manager and the endpoints they name", 10, lambda d:
          d.find_elements(By.CSS_SELECTOR, "#log-entries a.manager-link")
          and d.find_elements(By.CSS_SELECTOR, "#log-entries a.endpoint-link"))
    shot("endpoint-log")
    css("#tab-aliases").click()
    css("#alias-name").send_keys("www", Keys.ENTER)
    check("an alias can be added", 10, lambda d: "Added www" in text_of("main")(d))
    if "www" in rest("GET", "/v1.1/endpoints"):
        ok("the API lists the alias")
    else:
        not_ok("the API lists the alias")

    # --- an endpoint with a problem: its balancer's port is taken -----------------------------
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    taken_port = taken.getsockname()[1]
    rest("PUT", "/v1.1/endpoints/blocked", {
        "endpoint": {"url": f"tcp://127.0.0.1:{taken_port}", "loadbalancer": "tcp", "cloud": "process", "port": 9000},
        "scaling": {"min_instances": 0, "max_instances": 1},
        "cloud:process": {"command": "sh examples/instances/http-instance.sh", "addresses": "127.0.1.0/24"}})
    rest("POST", "/v1.1/endpoints/blocked/state", {"action": "start"})
    conditions_served = served("/v1.1/endpoints/blocked/conditions") and served("/v1.1/summary")

    # --- lists, managers --------------------------------------------------------------------
    go("#/endpoints")
    row = 'tr[data-endpoint="web"]'
    check("the endpoints list shows the endpoint RUNNING, its owner by name, instances / target", 15,
          lambda d: "RUNNING" in text_of(row)(d) and text_of(row + " a.manager-link")(d) == "dashboard"
          and css(row + " td[data-instances]").get_attribute("data-target") != ""
          and re.fullmatch(r"\d+ / \d+", text_of(row + " td[data-instances]")(d)))
    expect("the list has a Problems column", "Problems" in text_of("#endpoint-table thead")(driver))
    check("web's problems cell is there and names no balancer failure", 10,
          lambda d: d.find_elements(By.CSS_SELECTOR, row + " td.problems") and "BalancerFailed" not in text_of(row + " td.problems")(d))
    if conditions_served:
        check("the alias is marked as an alias of web", 15,
              lambda d: "alias of web" in text_of('tr[data-endpoint="www"] .alias-of')(d))
        check("blocked shows its BalancerFailed problem in the list", 60,
              lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-endpoint="blocked"] .condition[data-condition="BalancerFailed"]'))
    else:
        ok("# SKIP aliases and conditions in the list: this API has no /v1.1/summary or …/conditions")
    shot("endpoints")
    go("#/endpoints/blocked")
    if conditions_served:
        reason = check("blocked's overview shows the BalancerFailed condition with its reason", 30,
                       lambda d: text_of('#endpoint-conditions li[data-condition="BalancerFailed"]')(d))
        print(f"#   the condition shown: {reason}")
        shot("endpoint-problem", whole=True)
    else:
        check("blocked's overview shows its problems section", 15, lambda d: text_of("#endpoint-conditions")(d))
    check("blocked's activity shows the balancer's failure", 60,
          lambda d: d.find_elements(By.CSS_SELECTOR, "#activity li.activity-failure"))
    rest("POST", "/v1.1/endpoints/blocked/state", {"action": "stop"})
    rest("DELETE", "/v1.1/endpoints/blocked")
    taken.close()
    go("#/managers")
    check("the managers page names the owner's endpoints, linked", 20,
          lambda d: d.find_elements(By.CSS_SELECTOR, '#manager-rows a.endpoint-link[href="#/endpoints/web"]'))
    shot("managers")
    css("#manager-rows a.manager-link[href^='#/managers/active/']").click()
    check("a manager's page shows its clouds and balancers", 10, lambda d: "process" in text_of("dl.facts")(d))
    go("#/managers/configs/dashboard-test")
    check("a manager configuration form is built from the schema", 10, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-field="manager.interval"] input'))
    set_field("manager.interval", "0")
    css(".config-form button[type=submit]").click()
    check("a bad manager interval gets its field error", 10, lambda d: text_of('[data-field="manager.interval"] .field-error')(d))
    shot("manager-configuration")

    # --- overview again, then keyboard and phone --------------------------------------------
    go("#/")
    check("the overview counts the instances", 20,
          lambda d: d.find_elements(By.CSS_SELECTOR, ".chart-value") and d.find_elements(By.CSS_SELECTOR, ".chart-value")[0].text not in ("0", "–"))
    time.sleep(6)
    shot("overview")
    # From the page's first focusable element (the skip link), Tab walks the navigation.
    driver.execute_script("document.querySelector('a.skip').focus()")
    actions = webdriver.ActionChains(driver)
    reached = None
    for _ in range(5):
        actions.send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element.text == "Endpoints":
            reached = driver.switch_to.active_element
            break
    if reached is not None:
        actions.send_keys(Keys.ENTER).perform()
        check("the keyboard reaches the navigation and Enter follows it", 10, lambda d: d.current_url.endswith("#/endpoints"))
    else:
        not_ok("the keyboard reaches the navigation (Tab)")
    driver.set_window_size(390, 844)
    go("#/")
    time.sleep(3)
    shot("overview-phone")
    go("#/endpoints/web")
    time.sleep(2)
    shot("endpoint-phone")
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    ok("a phone-sized window needs no sideways scrolling") if overflow <= 1 else not_ok("a phone-sized window needs no sideways scrolling", f"{overflow} px too wide")
    driver.set_window_size(1280, 800)

    # --- stop and sign out ------------------------------------------------------------------
    go("#/endpoints/web")
    wait("the endpoint page is back", 10, lambda d: d.find_elements(By.ID, "action-stop"))
    css("#action-stop").click()
    check("Stop sets the endpoint STOPPED", 10, lambda d: text_of("#endpoint-state")(d) == "STOPPED")
    check("STOPPED again: Start is the highlighted action", 10,
          lambda d: buttons(d).get("start") == ("false", "primary") and buttons(d).get("stop") == ("true", "current"))
    css("#signout").click()
    check("signing out shows the sign-in form", 10, lambda d: d.find_elements(By.ID, "signin-key"))
    expect("Sign out is hidden once signed out", not signout_shown(driver))
    status = driver.execute_script(
        "return await fetch('/v1.1/info', {headers: {Accept: 'application/json'}}).then(r => r.status)")
    ok("after signing out the API refuses the browser (401)") if status == 401 else not_ok("after signing out the API refuses the browser", status)

    # --- no admin key: nothing to sign in to or out of ---------------------------------------
    rest("POST", "/v1.1/auth_key", {"auth_key": None})
    driver.get(api + "/")
    check("with no admin key the overview opens without signing in", 15, lambda d: text_of("main h1")(d) == "Overview")
    time.sleep(2)
    expect("and Sign out is not offered", not signout_shown(driver))
except Stop as stop:
    not_ok(stop.what, stop.detail)
    shot("failure")
except Exception as error:  # anything else is a failure of the test, said as such
    not_ok("the browser test ran to its end", repr(error))
    shot("failure")
finally:
    collect_console()
    if held is not None:
        held.close()
    driver.quit()

# Network errors the dashboard provokes on purpose (the sign-in probe's 401, the bad value's
# 400, the missing manager configuration's 404) are logged by Chromium as "Failed to load
# resource"; every other error entry is a failure.
expected = ("status of 400", "status of 401", "status of 404")
errors = [entry for entry in console if entry.get("level") == "SEVERE"
          and not (entry.get("source") == "network" and any(status in entry.get("message", "") for status in expected))]
if errors:
    not_ok("no browser console errors", "\n".join(entry["message"] for entry in errors))
else:
    ok(f"no browser console errors ({len(console)} console entries, none an error)")
sys.exit(1 if failures else 0)
