#!/bin/sh
# t-insp-json: --json output is valid JSON with the documented keys, and
# its numbers agree with each other (totals are the sums over regions).
# The report on t-insp-report's hostile image (control characters, quotes,
# ill-formed UTF-8 in every string) must be valid JSON too.
. "$srcdir/tests/insp-lib.sh"

command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
make_image "$tmp/img.zst"
"$INSPECT" --json "$tmp/img.zst" >"$tmp/out.json" || fail "exit $?"
python3 -m json.tool "$tmp/out.json" >/dev/null || fail "not valid JSON"
"$TESTBIN/t-insp-report" --json >"$tmp/hostile.json" ||
    fail "t-insp-report --json: exit $?"
python3 -m json.tool "$tmp/hostile.json" >/dev/null ||
    fail "hostile strings: not valid JSON"
python3 - "$tmp/out.json" <<'PY' || fail "JSON does not have the documented shape"
import json, re, sys

doc = json.load(open(sys.argv[1], encoding="utf-8"))
hexre = re.compile(r"^0x[0-9a-f]+$")

def need(obj, keys, where):
    missing = [k for k in keys if k not in obj]
    if missing:
        sys.exit("%s: missing %s" % (where, ", ".join(missing)))

need(doc, ["format_version", "process", "threads", "regions", "fds",
           "totals"], "top level")
assert doc["format_version"] == "2.0", doc["format_version"]
need(doc["process"], ["pid", "program", "cmdline", "ctime", "host", "kernel",
                      "libckpt_version", "cwd", "exe"], "process")
assert isinstance(doc["process"]["cmdline"], list)
for t in doc["threads"]:
    need(t, ["tid", "fs_base", "rip"], "thread")
    for k in ("fs_base", "rip"):
        assert t[k] is None or hexre.match(t[k]), t
raw = stored = zero = 0
for r in doc["regions"]:
    need(r, ["start", "end", "perms", "name", "kind", "size", "raw_bytes",
             "stored_bytes", "zero_bytes", "chunks", "offset", "dev",
             "inode", "advice"], "region")
    assert all(a in ("hugepage", "nohugepage", "dontdump", "mergeable",
                     "wipeonfork", "locked") for a in r["advice"]), r
    assert hexre.match(r["start"]) and hexre.match(r["end"]), r
    assert re.match(r"^[r-][w-][x-][ps]$", r["perms"]), r
    assert int(r["end"], 16) - int(r["start"], 16) == r["size"], r
    if r["kind"] == "memory":
        assert r["raw_bytes"] == r["size"], r
    else:
        assert r["raw_bytes"] == 0 and r["stored_bytes"] == 0, r
    assert r["zero_bytes"] <= r["raw_bytes"], r
    raw += r["raw_bytes"]
    stored += r["stored_bytes"]
    zero += r["zero_bytes"]
for f in doc["fds"]:
    need(f, ["fd", "kind", "path", "offset", "pipe_id", "pipe_end",
             "socket", "watches", "shares", "restore", "restorable"], "fd")
    assert f["restore"] in ("reopen", "pipe", "recreate", "pair", "remake",
                            "inherit", "share", "none"), f
    assert f["shares"] is None or isinstance(f["shares"], int), f
    assert f["socket"] is None or isinstance(f["socket"], str), f
    assert (f["watches"] is None) == (f["kind"] != "inotify"), f
    assert f["watches"] is None or f["watches"] >= 0, f
    assert f["restorable"] == (f["restore"] != "none"), f
tot = doc["totals"]
need(tot, ["raw_bytes", "stored_bytes", "zero_bytes"], "totals")
assert tot["raw_bytes"] == raw, (tot, raw)
assert tot["stored_bytes"] == stored, (tot, stored)
assert tot["zero_bytes"] == zero, (tot, zero)
PY
