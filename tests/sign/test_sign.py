#!/usr/bin/env python3
"""Commit signatures, verified against the keys of content/keys/.

Usage: test_sign.py GONGSHI

A throwaway OpenPGP key and a throwaway SSH key are listed in the
record's content/keys/; two more of each kind are not.  Commits signed
by git with each key, and commits written by hand (a garbage signature,
a signature block copied from another commit, a real signature over
other content, a valid signature block in the message body), each show
their state on the commit page, the change log and the record's
history: only a good signature by a listed key says 已验证, and who
signed.  With "require_signed", unsigned and unverifiable commits are
refused.  The last line is "sign: N passed, M failed".
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SMALL = os.path.join(ROOT, "tests", "fixtures", "small")
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
SDE = "1735603200"
NOTICE = "data/notices/lanzhou-2023-acceptance.json"
PGP_NAME, SSH_NAME = "兰州市市场监督管理局", "拉萨市市场监督管理局"
VERIFIED = "签名，已验证"
UNVERIFIED = "签名无法验证"

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def run(*args, env=None, input=None, cwd=None):
    p = subprocess.run(list(args), env=env, input=input, cwd=cwd, capture_output=True)
    if p.returncode:
        raise AssertionError("%s failed: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    return p.stdout.decode()


class Repo:
    def __init__(self, tmp, env):
        self.dir = os.path.join(tmp, "repo")
        self.env = env
        self.n = 0

    def git(self, *args, input=None):
        return run("git", "-C", self.dir, *args, env=self.env, input=input).strip()

    def change(self):
        """Changes the notice, so that the commit is in its history."""
        self.n += 1
        p = os.path.join(self.dir, NOTICE)
        doc = json.load(open(p, encoding="utf-8"))
        doc["body"] += "\n\n更正%d。" % self.n
        with open(p, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        self.git("add", "-A")

    def commit(self, msg, *cfg):
        self.change()
        self.git(*cfg, "commit", "-q", "-m", msg)
        return self.git("rev-parse", "HEAD")

    def payload(self, msg):
        """A commit object's text for the staged tree on HEAD, unsigned."""
        tree = self.git("write-tree")
        head = self.git("rev-parse", "HEAD")
        who = "测试办公室 <office@example.org> 1735000000 +0800"
        return "tree %s\nparent %s\nauthor %s\ncommitter %s\n\n%s\n" % (tree, head, who, who, msg)

    def raw(self, text):
        """Writes a commit object by hand and moves the branch to it."""
        cid = self.git("hash-object", "-t", "commit", "-w", "--stdin", input=text.encode())
        self.git("update-ref", "HEAD", cid)
        return cid

    def signature(self, cid):
        """The gpgsig header of commit cid, unfolded."""
        text = self.git("cat-file", "commit", cid)
        m = re.search(r"^gpgsig (.*?)\n(?! )", text + "\n", re.S | re.M)
        return m.group(1).replace("\n ", "\n")


def with_sig(payload, sig):
    """payload with sig as its gpgsig header, as git writes it."""
    head, _, body = payload.partition("\n\n")
    return head + "\ngpgsig " + sig.strip("\n").replace("\n", "\n ") + "\n\n" + body


def build(repo, out, *args, env=None):
    return subprocess.run(WRAP + [GONGSHI, "-C", repo.dir, "build", "-q", "-o", out] + list(args),
                          capture_output=True, env=env, timeout=600)


def page(out, path):
    return open(os.path.join(out, path), encoding="utf-8").read()


def main():
    tmp = tempfile.mkdtemp(prefix="gongshi-sign-")
    gnupg = os.path.join(tmp, "gnupg")
    os.mkdir(gnupg, 0o700)
    gtmp = os.path.join(tmp, "t")
    os.mkdir(gtmp)
    env = dict(os.environ, GNUPGHOME=gnupg, TMPDIR=gtmp, SOURCE_DATE_EPOCH=SDE,
               GIT_AUTHOR_NAME="测试办公室", GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME="测试办公室", GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE="2024-12-20T10:00:00+08:00", GIT_COMMITTER_DATE="2024-12-20T10:00:00+08:00")
    try:
        # throwaway keys: one of each kind listed, one not
        fpr = {}
        for who in ("listed", "unlisted"):
            run("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "%s <%s@example.org>" % (who, who),
                "ed25519", "sign", "never", env=env)
            out = run("gpg", "--batch", "--with-colons", "--list-keys", "%s@example.org" % who, env=env)
            fpr[who] = re.search(r"^fpr:+([0-9A-F]{40}):", out, re.M).group(1)
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", os.path.join(tmp, "ssh-" + who))
        ssh_fpr = run("ssh-keygen", "-l", "-f", os.path.join(tmp, "ssh-listed.pub")).split()[1]
        repo = Repo(tmp, env)
        shutil.copytree(SMALL, repo.dir)
        keys = os.path.join(repo.dir, "content", "keys")
        os.makedirs(keys)
        with open(os.path.join(keys, "lanzhou.json"), "w", encoding="utf-8") as f:
            json.dump({"name": PGP_NAME, "openpgp": run("gpg", "--armor", "--export", fpr["listed"], env=env)},
                      f, ensure_ascii=False)
        with open(os.path.join(keys, "lhasa.json"), "w", encoding="utf-8") as f:
            json.dump({"name": SSH_NAME, "ssh": open(os.path.join(tmp, "ssh-listed.pub")).read().strip()},
                      f, ensure_ascii=False)
        repo.git("init", "-q", "-b", "main")
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "初始发布")

        pgp = lambda k: ("-c", "gpg.format=openpgp", "-c", "user.signingkey=" + fpr[k], "-c", "commit.gpgsign=true")
        ssh = lambda k: ("-c", "gpg.format=ssh", "-c", "user.signingkey=" + os.path.join(tmp, "ssh-" + k),
                         "-c", "commit.gpgsign=true")
        c = {}
        c["unsigned"] = repo.commit("未签名的提交")
        c["pgp"] = repo.commit("OpenPGP 签名", *pgp("listed"))
        c["ssh"] = repo.commit("SSH 签名", *ssh("listed"))
        c["pgp_unlisted"] = repo.commit("未登记的 OpenPGP 密钥", *pgp("unlisted"))
        c["ssh_unlisted"] = repo.commit("未登记的 SSH 密钥", *ssh("unlisted"))
        repo.change()
        c["garbage"] = repo.raw(with_sig(repo.payload("伪造的签名"),
                                         "-----BEGIN PGP SIGNATURE-----\n\nZ2FyYmFnZQ==\n=abcd\n"
                                         "-----END PGP SIGNATURE-----\n"))
        repo.change()
        c["copied_pgp"] = repo.raw(with_sig(repo.payload("复制的 OpenPGP 签名"), repo.signature(c["pgp"])))
        repo.change()
        c["copied_ssh"] = repo.raw(with_sig(repo.payload("复制的 SSH 签名"), repo.signature(c["ssh"])))
        # a real signature by the listed key, over another commit's content
        repo.change()
        other = repo.payload("另一个提交")
        sig = run("gpg", "--batch", "--armor", "--detach-sign", "-u", fpr["listed"], env=env, input=other.encode())
        c["other_content"] = repo.raw(with_sig(repo.payload("签名的是另一个提交"), sig))
        # a valid signature of this very commit, but in the message body,
        # where git never reads one (libgit2 1.5's extraction does)
        repo.change()
        body = repo.payload("正文中的签名行")
        sig = run("gpg", "--batch", "--armor", "--detach-sign", "-u", fpr["listed"], env=env, input=body.encode())
        c["in_body"] = repo.raw(body + "gpgsig " + sig.strip("\n").replace("\n", "\n ") + "\n")
        head = c["in_body"]

        out = os.path.join(tmp, "out")
        p = build(repo, out, env=env)
        check("build with signatures", p.returncode == 0, p.stderr.decode())
        want = {
            "pgp": "由 %s <code class=\"key\">%s</code> %s" % (PGP_NAME, fpr["listed"], VERIFIED),
            "ssh": "由 %s <code class=\"key\">%s</code> %s" % (SSH_NAME, ssh_fpr, VERIFIED),
        }
        hist = page(out, "notices/lanzhou-2023-acceptance/index.html")
        log = page(out, "changes/index.html")
        for name, cid in sorted(c.items()):
            text = page(out, "changes/%s/index.html" % cid)
            if name in want:
                check("%s: commit page names the signer" % name, want[name] in text, text[:0])
                check("%s: the record's history says verified" % name,
                      re.search(re.escape(cid[:7]) + r"</code></a> <span class=\"signature\">" + re.escape(want[name]),
                                hist) is not None)
                check("%s: the change log says verified" % name, want[name] in log.split(cid[:7], 1)[1][:400])
            elif name in ("unsigned", "in_body"):
                check("%s: shown as unsigned" % name, "<dd>未签名</dd>" in text and UNVERIFIED not in text
                      and VERIFIED not in text)
                after = hist.split(cid[:7] + "</code></a>", 1)[1][:300]
                check("%s: no signature state in the history" % name, "签名" not in after.split("<br>")[0], after)
            else:
                check("%s: cannot be verified" % name, UNVERIFIED in text and VERIFIED not in text)
                after = hist.split(cid[:7] + "</code></a>", 1)[1][:300]
                check("%s: the history says unverifiable" % name,
                      UNVERIFIED in after.split("<br>")[0] and VERIFIED not in after.split("<br>")[0], after)

        # the same commit gives the same site, from the cache or not
        again = os.path.join(tmp, "again")
        p = build(repo, again, env=env)
        same = subprocess.run(["diff", "-r", "-x", "publication-log.json", out, again], capture_output=True)
        check("rebuilt without a cache: byte-identical", p.returncode == 0 and same.returncode == 0,
              same.stdout.decode()[:500])
        p = build(repo, again, env=env)
        same = subprocess.run(["diff", "-r", "-x", "publication-log.json", out, again], capture_output=True)
        check("rebuilt from the cache: byte-identical", p.returncode == 0 and same.returncode == 0,
              same.stdout.decode()[:500])

        # a key removed: its signatures no longer verify, cache or not
        os.remove(os.path.join(keys, "lhasa.json"))
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "撤下 SSH 密钥")
        p = build(repo, again, env=env)
        text = page(again, "changes/%s/index.html" % c["ssh"])
        check("a removed key's signature is unverifiable, with a cache",
              p.returncode == 0 and UNVERIFIED in text and VERIFIED not in text, p.stderr.decode())
        check("the listed OpenPGP key still verifies",
              want["pgp"] in page(again, "changes/%s/index.html" % c["pgp"]))

        # "require_signed": only a good signature by a listed key builds
        site = os.path.join(repo.dir, "content", "site.json")
        doc = json.load(open(site, encoding="utf-8"))
        doc["require_signed"] = True
        with open(site, "w", encoding="utf-8") as f:
            f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        req = os.path.join(tmp, "req")
        repo.commit("要求签名")
        p = build(repo, req, env=env)
        err = p.stderr.decode()
        check("required: an unsigned commit is refused", p.returncode == 1 and "is not signed" in err
              and "require_signed" in err and not os.path.exists(req), err)
        repo.commit("未登记密钥签名", *ssh("unlisted"))
        p = build(repo, req, env=env)
        err = p.stderr.decode()
        check("required: an unverifiable commit is refused", p.returncode == 1 and "cannot be verified" in err
              and not os.path.exists(req), err)
        repo.change()
        repo.raw(with_sig(repo.payload("伪造"), repo.signature(c["pgp"])))
        p = build(repo, req, env=env)
        check("required: a copied signature is refused", p.returncode == 1 and not os.path.exists(req),
              p.stderr.decode())
        repo.commit("签名发布", *pgp("listed"))
        p = build(repo, req, env=env)
        check("required: a good signature builds", p.returncode == 0, p.stderr.decode())

        # a key file that breaks its schema is the record's error
        with open(os.path.join(keys, "bad.json"), "w", encoding="utf-8") as f:
            json.dump({"name": "无密钥"}, f, ensure_ascii=False)
        with open(os.path.join(keys, "typo.json"), "w", encoding="utf-8") as f:
            json.dump({"name": "x", "ssh": "ssh-ed25519 QUJD"}, f, ensure_ascii=False)
        repo.commit("坏的密钥文件", *pgp("listed"))
        p = build(repo, os.path.join(tmp, "bad"), env=env)
        err = p.stderr.decode()
        check("a key file with no key is refused", p.returncode == 1 and "content/keys/bad.json" in err, err)
        os.remove(os.path.join(keys, "bad.json"))
        repo.commit("坏的 SSH 密钥", *pgp("listed"))
        p = build(repo, os.path.join(tmp, "bad"), env=env)
        err = p.stderr.decode()
        check("a key file with a damaged key is refused",
              p.returncode == 1 and "content/keys/typo.json" in err and "not an SSH public key" in err, err)

        left = glob.glob(os.path.join(gtmp, "gongshi-keys-*"))
        check("no keyring left behind", not left, repr(left))
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=gnupg), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    failed = results.count(False)
    print("sign: %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
