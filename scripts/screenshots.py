#!/usr/bin/env python3
"""Signs in to a running Xuke with headless Chromium and saves full-page screenshots of the
given paths, in Chinese and English, at desktop and phone widths, so a person can look at them.

    scripts/screenshots.py --base http://127.0.0.1:8080 --user admin --password '…' \
        --out screenshots /enterprises /account

Needs chromium and the websocket-client package (pip install websocket-client).
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket  # websocket-client

VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}


class Tab:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def wait_loaded(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = self.call("Runtime.evaluate", expression="document.readyState")["result"].get("value")
            if state == "complete":
                return
            time.sleep(0.1)
        raise TimeoutError("page did not finish loading")

    def goto(self, url):
        self.call("Page.navigate", url=url)
        time.sleep(0.2)
        self.wait_loaded()

    def evaluate(self, js):
        return self.call("Runtime.evaluate", expression=js, awaitPromise=True)["result"].get("value")


def start_chromium(port):
    profile = tempfile.mkdtemp(prefix="xuke-chromium-")
    proc = subprocess.Popen(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--remote-debugging-port={port}", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    return proc, profile, pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("chromium did not start")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--out", default="screenshots")
    ap.add_argument("--port", type=int, default=9333)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    proc, profile, ws_url = start_chromium(args.port)
    try:
        tab = Tab(ws_url)
        tab.call("Page.enable")
        if args.user:
            tab.goto(args.base + "/login")
            tab.evaluate(
                "(() => { const f = document.querySelector('form[action=\"/login\"]');"
                f" f.username.value = {json.dumps(args.user)}; f.password.value = {json.dumps(args.password)};"
                " f.submit(); })()")
            time.sleep(0.5)
            tab.wait_loaded()
            if "/login" in tab.evaluate("location.pathname"):
                raise SystemExit("sign-in failed: still on the login page")
        for lang in ("zh", "en"):
            for view, (width, height, mobile) in VIEWPORTS.items():
                tab.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                         deviceScaleFactor=1, mobile=mobile)
                for path in args.paths:
                    sep = "&" if "?" in path else "?"
                    tab.goto(f"{args.base}{path}{sep}lang={lang}")
                    shot = tab.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
                    name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-") or "home"
                    file = os.path.join(args.out, f"{name}.{lang}.{view}.png")
                    with open(file, "wb") as f:
                        f.write(base64.b64decode(shot["data"]))
                    print(file)
    finally:
        proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
