"""The README's tour, run: builds the demo as `make run` does
(scripts/demo.sh, at the demo's date), then runs every `$ kith ...` line
of the README's tour, intelligence and network sections in order on that
database and compares what it prints with what the README shows.

A block shown whole must match line for line (trailing spaces aside).  A
command marked `# excerpt`, or whose shown output has a `...` line, must
print the shown lines in that order (a line ending in `...` matches by its
start); `# last lines` must end with them.  The team section's member line
is checked against what scripts/demo.sh printed.

Prints TAP lines.  Usage: readme_tour.py KITH TOP
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

KITH, TOP = sys.argv[1], sys.argv[2]
SECTIONS = ("## A two-minute tour", "## Who to call today", "## The way to anyone")
N = 0
FAILED = 0


def check(name, ok, detail=""):
    global N, FAILED
    N += 1
    print(f"{'ok' if ok else 'not ok'} {N} - {name}")
    if not ok:
        FAILED += 1
        for line in str(detail).splitlines()[:40]:
            print(f"#   {line}")


def blocks(text, heading):
    """The fenced blocks of the section that starts with heading."""
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    section = text[start:end if end > 0 else len(text)]
    return re.findall(r"```\n(.*?)```", section, re.S)


def commands(block):
    """(command, comment, shown lines) for each `$ ` line of a block."""
    out = []
    for line in block.splitlines():
        if line.startswith("$ "):
            cmd, _, comment = line[2:].partition("  #")
            out.append([cmd.strip(), comment.strip(), []])
        elif out:
            out[-1][2].append(line.rstrip())
    return out


def in_order(shown, got):
    """Every shown line (but "...") in got, in that order."""
    i = 0
    for want in shown:
        if want.strip() == "...":
            continue
        prefix = want[:-3].rstrip() if want.endswith("...") else None
        while i < len(got) and not (got[i] == want or
                                    (prefix is not None and got[i].startswith(prefix))):
            i += 1
        if i == len(got):
            return False
        i += 1
    return True


def main():
    text = open(os.path.join(TOP, "README.md"), encoding="utf-8").read()
    tmp = tempfile.mkdtemp(prefix="kith-readme-")
    try:
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        os.symlink(KITH, os.path.join(bindir, "kith"))
        env = dict(os.environ)
        env.pop("KITH_NOW", None)
        db = os.path.join(tmp, "demo.db")
        p = subprocess.run(["sh", os.path.join(TOP, "scripts", "demo.sh"), KITH, db],
                           cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
        check("scripts/demo.sh builds the demo", p.returncode == 0, p.stderr)
        if p.returncode:
            return
        # what the README's team section says make run printed
        team = blocks(text, "## The team server")[0]
        for line in team.splitlines():
            if line.startswith("member #"):
                check(f"make run printed: {line}", line in p.stdout.splitlines(), p.stdout)
        m = re.search(r"export KITH_DB=demo\.db KITH_NOW=([0-9T:Z-]+)", text)
        check("the README names the demo's date", m is not None)
        if not m:
            return
        env.update(KITH_DB=db, KITH_NOW=m.group(1),
                   PATH=bindir + os.pathsep + env.get("PATH", ""), COLUMNS="100")
        total = 0
        for heading in SECTIONS:
            for block in blocks(text, heading):
                for cmd, comment, shown in commands(block):
                    while shown and not shown[-1].strip():
                        shown.pop()
                    total += 1
                    r = subprocess.run(["sh", "-c", cmd + " 2>&1"], cwd=tmp, env=env,
                                       capture_output=True, text=True, timeout=120)
                    got = [line.rstrip() for line in r.stdout.splitlines()]
                    if comment.startswith("excerpt") or any(s.strip() == "..." for s in shown):
                        ok = in_order(shown, got)
                    elif comment.startswith("last lines"):
                        ok = got[-len(shown):] == shown if shown else True
                    else:
                        ok = got == shown
                    diff = "wanted:\n" + "\n".join(shown) + "\ngot:\n" + "\n".join(got)
                    check(f"README: $ {cmd}", ok, diff)
        check("the README's tour has commands to run", total >= 20, total)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


main()
print(f"1..{N}")
sys.exit(1 if FAILED else 0)
