#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""An administrator's session in a real browser: headless Chromium driven by
Selenium (Debian's chromium, chromium-driver, python3-selenium), trusting
the test CA through an NSS database rather than ignoring certificate
errors, so that every page load proves the server's chain.

    web_browser.py BASE CA CA_KEY PASSWORD FETCH_BASE DOCROOT OUT
    web_browser.py --view BASE CA OUT

BASE        the server, https://127.0.0.1:PORT
CA, CA_KEY  the test CA (its key signs the CSR the device makes)
PASSWORD    admin's password
FETCH_BASE  the URL prefix under which the server fetches what is put in
            DOCROOT (a bundle is expected there: web2-bundle.pem)
OUT         screenshots, one per page (NN-name.png)

It logs in, reads the status, installs web2-bundle.pem into platform2 from
a URI, binds browser to it, reconnects (a new browser) and checks that the
certificate it receives is web2's, generates a CSR with the key kept in
app1, signs it with the CA, installs the signed certificate into app1 from
a URI, and removes it after the confirmation page. One line per step on
standard output; exit status 1 at the first failure.

With --view (make demo) it only opens the status page, saves its
screenshot and prints the certificate the browser received: subject,
issuer and SHA-256, as DevTools reports it.
"""
import base64
import hashlib
import os
import subprocess
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

VIEW = sys.argv[1] == "--view"
if VIEW:
    BASE, CA, OUT = sys.argv[2:5]
else:
    BASE, CA, CA_KEY, PASSWORD, FETCH_BASE, DOCROOT, OUT = sys.argv[1:8]
os.makedirs(OUT, exist_ok=True)
home = tempfile.mkdtemp(prefix="web-browser-")
shot_n = 0


def step(msg):
    print(msg, flush=True)


def nss_trust():
    """Chromium on Linux trusts what $HOME/.pki/nssdb says; the CA goes there."""
    db = os.path.join(home, ".pki", "nssdb")
    os.makedirs(db)
    subprocess.run(["certutil", "-N", "-d", "sql:" + db, "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", "sql:" + db, "-n", "devcred test CA",
                    "-t", "C,,", "-i", CA], check=True)


def browser():
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1100,900",
              "--disable-dev-shm-usage", "--user-data-dir=" + tempfile.mkdtemp(dir=home)):
        opts.add_argument(a)
    os.environ["HOME"] = home
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.set_page_load_timeout(120)
    d.execute_cdp_cmd("Network.enable", {})
    return d


def shot(d, name):
    global shot_n
    shot_n += 1
    path = os.path.join(OUT, "%02d-%s.png" % (shot_n, name))
    d.save_screenshot(path)
    step("screenshot " + path)


def get(d, path, name):
    d.get(BASE + path)
    # An untrusted chain shows Chromium's interstitial, not our page.
    assert "devcred" in d.title, "%s: no devcred page (title %r): chain not trusted?" % (path, d.title)
    shot(d, name)


def text(d, css):
    return d.find_element(By.CSS_SELECTOR, css).text


def served_der(d):
    """The leaf the browser received from BASE, DER (DevTools)."""
    names = d.execute_cdp_cmd("Network.getCertificate", {"origin": BASE})["tableNames"]
    return base64.b64decode(names[0])


def served_sha256(d):
    """SHA-256 of the leaf the browser received from BASE."""
    return ":".join("%02X" % b for b in hashlib.sha256(served_der(d)).digest())


def view():
    """make demo: the status page and the certificate, as the browser has them."""
    nss_trust()
    d = browser()
    try:
        get(d, "/", "status")
        step("the page says: " + text(d, "#device-certificate"))
        info = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject",
                               "-issuer"], input=served_der(d), capture_output=True,
                              check=True).stdout.decode()
        for line in info.splitlines():
            step("the browser received: " + line)
        step("the browser received: SHA-256 " + served_sha256(d))
    finally:
        d.quit()


def left_document(old):
    """expected_conditions.staleness_of(@old), but also true when Chromium
    answers that the node no longer belongs to the document: what it says
    when the page changed between finding the node and asking about it
    (seen once in make check, failing a step that had worked)."""
    def predicate(_):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e.msg):
                return True
            raise
    return predicate


def click(d, element):
    """Clicks @element and waits for the page it leads to."""
    old = d.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(d, 120).until(left_document(old))


def login(d):
    get(d, "/login", "login")
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    click(d, d.find_element(By.ID, "login"))
    assert d.find_elements(By.ID, "device-certificate"), "login did not lead to the status page"


def install(d, slot, field, uri, name):
    """The Install form: @uri in @field for @slot; devcredd's answer."""
    get(d, "/install", name)
    Select(d.find_element(By.ID, "slot")).select_by_visible_text(slot)
    d.find_element(By.ID, field).send_keys(uri)
    cls, msg = submit_note(d, "install")
    shot(d, name + "-done")
    assert cls == "done" and slot + ": credential installed" in msg, msg
    return msg


def submit_note(d, button_id):
    click(d, d.find_element(By.ID, button_id))
    notes = d.find_elements(By.CSS_SELECTOR, "p.done, p.error")
    if not notes:
        return "", ""
    return notes[0].get_attribute("class"), notes[0].text


if VIEW:
    view()
    sys.exit(0)
nss_trust()
d = browser()
try:
    get(d, "/", "status")
    status = text(d, "#device-certificate")
    assert status.startswith("Device Certificate: "), status
    step("status: %s, MAC %s" % (status, text(d, "#mac")))
    first = served_sha256(d)
    step("served first: " + first)

    login(d)
    get(d, "/certificates", "certificates")

    step("install: " + install(d, "platform2", "bundle", FETCH_BASE + "/web2-bundle.pem",
                               "install"))

    get(d, "/profiles", "profiles")
    row = d.find_element(By.ID, "op-browser")
    Select(row.find_element(By.NAME, "slot")).select_by_visible_text("platform2")
    click(d, row.find_element(By.TAG_NAME, "button"))
    assert d.find_element(By.CSS_SELECTOR, "p.done"), "bind refused"
    shot(d, "profiles-done")
    assert text(d, "#op-browser .slot") == "platform2"
    step("bound browser to platform2")
finally:
    d.quit()

# A new browser: a new connection, which must get the new certificate.
d = browser()
try:
    login(d)
    now = served_sha256(d)
    want = open(os.path.join(DOCROOT, "web2.sha256")).read().strip()
    step("served after the rebinding: " + now)
    assert now == want and now != first, "the browser received %s, not web2's %s" % (now, want)

    get(d, "/certificates/platform2", "certificate-platform2")
    assert text(d, "#sha256") == want, text(d, "#sha256")

    get(d, "/csr", "csr")
    d.find_element(By.ID, "cn").send_keys("browser-csr.example")
    d.find_element(By.ID, "org").send_keys("Example")
    Select(d.find_element(By.ID, "key_type")).select_by_visible_text("ec-p256")
    Select(d.find_element(By.ID, "keep")).select_by_value("app1")
    click(d, d.find_element(By.ID, "generate"))
    shot(d, "csr-done")
    assert "CSR generation completed" in d.page_source
    assert d.find_elements(By.ID, "key-kept")
    csr = text(d, "#csr")
    step("CSR generation completed")
    with open(os.path.join(home, "req.csr"), "w") as f:
        f.write(csr + "\n")
    subprocess.run(["openssl", "x509", "-req", "-in", os.path.join(home, "req.csr"),
                    "-CA", CA, "-CAkey", CA_KEY, "-CAcreateserial", "-days", "30",
                    "-out", os.path.join(DOCROOT, "signed.pem")], check=True,
                   stderr=subprocess.DEVNULL)
    os.chmod(os.path.join(DOCROOT, "signed.pem"), 0o644)

    step("signed CSR installed: " + install(d, "app1", "cert", FETCH_BASE + "/signed.pem",
                                            "install-signed"))

    get(d, "/certificates/app1", "certificate-app1")
    assert "browser-csr.example" in text(d, "#common_name")
    click(d, d.find_element(By.ID, "remove"))
    shot(d, "remove-confirm")
    click(d, d.find_element(By.ID, "confirm"))
    shot(d, "remove-done")
    msg = text(d, "p.done")
    step("remove: " + msg)
    get(d, "/certificates", "certificates-after")
    row = [r.text for r in d.find_elements(By.CSS_SELECTOR, "#slots tr") if r.text.startswith("app1")]
    assert row and "empty" in row[0], row
finally:
    d.quit()
step("all steps passed")
