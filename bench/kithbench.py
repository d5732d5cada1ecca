"""What the Python benchmarks share: members with tokens, a server's
resident memory, and the table they print (bench/index_bench.py,
bench/ways_bench.py)."""
import json
import os
import platform


def member_tokens(kith, n, person):
    """Tokens of members bench0 .. bench(n-1), adding each missing one with
    person(i) (a person id) as theirs.  kith(*args, check) runs the CLI and
    returns its standard output."""
    tokens = []
    for i in range(n):
        name = "bench%d" % i
        out = kith("--json", "member", "add", name, "--person", "#%d" % person(i), check=False)
        if not out.strip():
            out = kith("--json", "member", "token", name)
        tokens.append(json.loads(out)["token"])
    return tokens


def rss(pid, field="VmRSS"):
    """Resident memory of process pid, in MB: all of it, or one field of
    /proc/PID/status such as RssAnon (private memory, not the mapped files)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def print_table(rows, *notes):
    """The machine and load, the notes, then rows (measure, value) as a
    Markdown table."""
    print("machine: %s, %d cores, %s, load average %.1f" % (
        platform.node(), os.cpu_count(), platform.platform(), os.getloadavg()[0]))
    for n in notes:
        print(n)
    print("| measure | value |\n| --- | --- |")
    for k, v in rows:
        print("| %s | %s |" % (k, v))
