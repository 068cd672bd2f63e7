#!/usr/bin/env python3
"""gongshi serve (issue #21): on a free loopback port, a record made with
gongshi init and gongshi new is served as a preview; an edit shows
within 2 seconds, a broken record gives the diagnostics page and fixing
it brings the site back; path traversal (plain and encoded), a symbolic
link out of the preview, POST, a 10 MB header and 1,000 concurrent
connections are each answered correctly, and the server keeps running.
Usage: test_serve.py GONGSHI"""
import json, os, re, resource, shutil, signal, socket, subprocess, sys, tempfile, threading, time
import urllib.request, urllib.error

G = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/gongshi")
FILL = os.path.abspath("tests/tools/fill-new.py")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL serve: %s %s" % (name, detail))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def get(path, method="GET", headers=None):
    req = urllib.request.Request(BASE + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def raw(request, timeout=10):
    """status line of the answer to request bytes, sent as they are"""
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    try:
        s.sendall(request)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b"\r\n", 1)[0].decode("latin-1")
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    finally:
        s.close()


def wait_for(pred, limit):
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if pred():
            return time.monotonic() - t0
        time.sleep(0.05)
    return None


tmp = tempfile.mkdtemp()
# the pre-commit hook runs gongshi by name
binlink = os.path.join(tmp, "bin")
os.mkdir(binlink)
os.symlink(G, os.path.join(binlink, "gongshi"))
env = dict(os.environ, PATH=binlink + os.pathsep + os.environ.get("PATH", ""), HOME=tmp, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Office",
           GIT_AUTHOR_EMAIL="office@example.cn", GIT_COMMITTER_NAME="Office",
           GIT_COMMITTER_EMAIL="office@example.cn")
env.pop("SOURCE_DATE_EPOCH", None)
rec = os.path.join(tmp, "rec")
server = None
try:
    out = subprocess.run([G, "init", rec], env=env, capture_output=True, text=True, check=True).stdout
    subprocess.run([sys.executable, FILL, rec], input=out, env=env, capture_output=True, text=True, check=True)
    out = subprocess.run([G, "-C", rec, "new", "program", "jinan"], env=env, capture_output=True, text=True,
                         check=True).stdout
    subprocess.run([sys.executable, FILL, rec, "/name=济南市政府质量奖"], input=out, env=env,
                   capture_output=True, text=True, check=True)
    prog = os.path.join(rec, "data/programs/jinan.json")

    PORT = free_port()
    BASE = "http://127.0.0.1:%d" % PORT
    errlog = open(os.path.join(tmp, "serve.err"), "w")
    server = subprocess.Popen([G, "-C", rec, "serve", "--port", str(PORT)], env=env, stdout=subprocess.PIPE,
                              stderr=errlog, text=True)
    line = server.stdout.readline()
    check("serve says where it listens", ("127.0.0.1:%d" % PORT) in line, line)

    st, h, body = get("/")
    check("the home page is served", st == 200 and "text/html; charset=utf-8" == h.get("Content-Type"), st)
    check("a preview page carries the draft banner and the reload script",
          b'class="draft"' in body and b"/__gongshi/reload.js" in body)
    check("the preview's CSP allows its own script, nothing else",
          "script-src 'self'" in h.get("Content-Security-Policy", "") and "unsafe" not in h.get("Content-Security-Policy", ""))
    st, h, body = get("/programs/jinan/index.html")
    check("a program page is served", st == 200 and "济南市政府质量奖".encode() in body, st)
    st, h, body = get("/programs/jinan/")
    check("a folder serves its index.html", st == 200 and b"<html" in body, st)
    st, h, body = get("/programs/jinan/", method="HEAD")
    check("HEAD: headers, no body", st == 200 and body == b"" and int(h.get("Content-Length", "0")) > 0, st)
    for path, ctype in (("/feed.xml", "application/xml; charset=utf-8"), ("/robots.txt", "text/plain; charset=utf-8"),
                        ("/programs/jinan/index.json", "application/json; charset=utf-8")):
        st, h, body = get(path)
        check("content type of " + path, st == 200 and h.get("Content-Type") == ctype, (st, h.get("Content-Type")))
    css = [f for f in os.listdir(os.path.join(rec, "preview/assets")) if f.endswith(".css")]
    st, h, body = get("/assets/" + css[0])
    check("a stylesheet is text/css; charset=utf-8 without the script",
          st == 200 and h.get("Content-Type") == "text/css; charset=utf-8" and b"reload.js" not in body)
    st, h, body = get("/no/such/page.html")
    check("a missing file is 404", st == 404, st)

    # an edit shows within 2 seconds
    doc = json.load(open(prog, encoding="utf-8"))
    doc["name"] = "济南市政府质量奖（修订）"
    json.dump(doc, open(prog, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    t = wait_for(lambda: "济南市政府质量奖（修订）".encode() in get("/programs/jinan/index.html")[2], 2.0)
    check("an edit to the record shows within 2 seconds", t is not None)
    if t is not None:
        print("serve: edit visible after %.0f ms" % (t * 1000))

    # a broken record: the diagnostics page, each linking its file and line
    good = open(prog, encoding="utf-8").read()
    bad = good.replace('"max": 5', '"max": "five"', 1)
    check("the test breaks the record", bad != good)
    open(prog, "w", encoding="utf-8").write(bad)
    t = wait_for(lambda: "未通过检查".encode() in get("/")[2], 2.0)
    check("a record that breaks a rule gives the diagnostics page", t is not None)
    st, h, body = get("/programs/jinan/index.html")
    check("the diagnostics page lists the file:line, linked",
          re.search(rb'<a href="vscode://file[^"]*/data/programs/jinan.json:\d+:\d+"><code>data/programs/jinan.json:\d+:\d+</code></a>', body)
          is not None, body[:2000])
    check("the diagnostics page reloads too", b"/__gongshi/reload.js" in body)
    open(prog, "w", encoding="utf-8").write(good)
    t = wait_for(lambda: "济南市政府质量奖（修订）".encode() in get("/programs/jinan/index.html")[2], 2.0)
    check("fixing the record brings the site back", t is not None)

    # a placeholder left: the preview shows the site, and serve tells the warning
    open(prog, "w", encoding="utf-8").write(good.replace("济南市政府质量奖（修订）", "【待填写：奖项全称】", 1))
    t = wait_for(lambda: "【待填写：奖项全称】".encode() in get("/programs/jinan/index.html")[2], 2.0)
    check("a placeholder left: the preview shows the site, not the diagnostics", t is not None)
    t = wait_for(lambda: re.search(r"^data/programs/jinan.json:4:11: warning: /name still holds the placeholder",
                                   open(os.path.join(tmp, "serve.err"), encoding="utf-8").read(), re.M), 2.0)
    check("serve tells the placeholder as a warning, at its position", t is not None)
    open(prog, "w", encoding="utf-8").write(good)
    t = wait_for(lambda: "济南市政府质量奖（修订）".encode() in get("/programs/jinan/index.html")[2], 2.0)
    check("filled in again, the page shows it", t is not None)

    # what must not be served
    check("/../ is refused", raw(b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").split(" ")[1] in ("400", "403", "404"))
    check("an encoded traversal is refused",
          raw(b"GET /%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").split(" ")[1] in ("400", "403", "404"))
    check("an encoded slash traversal is refused",
          raw(b"GET /assets/..%2f..%2f..%2fetc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").split(" ")[1] in ("400", "403", "404"))
    os.symlink("/etc/passwd", os.path.join(rec, "preview/evil.txt"))
    os.symlink("/etc", os.path.join(rec, "preview/evildir"))
    st, h, body = get("/evil.txt")
    check("a symbolic link to a file outside is refused", st in (403, 404) and b"root:" not in body, st)
    st, h, body = get("/evildir/passwd")
    check("a symbolic link to a folder outside is refused", st in (403, 404) and b"root:" not in body, st)
    st, h, body = get("/", method="POST")
    check("POST is 405 with Allow: GET, HEAD", st == 405 and h.get("Allow") == "GET, HEAD", st)
    for m in ("PUT", "DELETE", "OPTIONS"):
        check(m + " is 405", get("/", method=m)[0] == 405)
    big = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (10 << 20) + b"\r\n\r\n"
    status = raw(big, timeout=30)
    check("a 10 MB header is refused (431, 413 or the connection closed)",
          status == "reset" or status == "" or status.split(" ")[1] in ("400", "413", "431"), status)
    check("the server answers after the 10 MB header", get("/")[0] == 200)

    # 1,000 connections at once
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    socks = []
    for i in range(1000):
        s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        socks.append(s)
    for s in socks:
        s.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    ok = 0
    for s in socks:
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        s.close()
        ok += data.startswith(b"HTTP/1.1 200")
    check("1,000 concurrent connections are each answered", ok == 1000, ok)
    check("the server is still running and answering", server.poll() is None and get("/")[0] == 200)

    # the script is the preview's: a site built from a commit has none
    subprocess.run(["git", "-C", rec, "add", "-A"], env=env, check=True)
    subprocess.run(["git", "-C", rec, "commit", "-q", "-m", "jinan"], env=env, check=True)
    site = os.path.join(tmp, "site")
    subprocess.run([G, "-C", rec, "build", "-q", "-o", site], env=env, check=True)
    # but search/'s own (issue #22), the one script of every site
    own = b'<script src="../assets/search.js"></script>'
    scripts = [os.path.join(d, f) for d, _, fs in os.walk(site) for f in fs
               if f.endswith(".html") and b"<script" in open(os.path.join(d, f), "rb").read().replace(own, b"")]
    check("a published site holds no script but search/'s", not scripts, scripts[:3])
finally:
    if server:
        server.send_signal(signal.SIGINT)
        try:
            rc = server.wait(timeout=10)
            check("Ctrl-C stops the server cleanly", rc == 0, rc)
        except subprocess.TimeoutExpired:
            server.kill()
            check("Ctrl-C stops the server", False)
    shutil.rmtree(tmp, ignore_errors=True)
print("serve: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
