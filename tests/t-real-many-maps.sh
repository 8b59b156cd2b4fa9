#!/bin/sh
# t-real-many-maps: a process of 40000 mappings (one page each, every
# other one read-only) is restarted, its pages and protections whole, and
# restart needs little more address space than the image's memory.
# restart used to place every region of the stage 2 MiB apart: a piece of
# the reservation between each two doubled the mappings (80000, over the
# default vm.max_map_count of 65530: "cannot map 4096 bytes for region
# 32941") and cost 6 MiB of address space a region (240 GB here, so
# `ulimit -v` refused it).  restart runs here under a 4 GB ulimit -v.
. "$srcdir/tests/cr-lib.sh"

n=40000
max=$(cat /proc/sys/vm/max_map_count 2>/dev/null || echo 0)
[ "$max" -gt $((n + 5000)) ] ||
    cr_error "vm.max_map_count is $max: too low to hold $n mappings"
img=$tmp/m.zst
cr_start m0 CKPT_FILE="$img" "$TESTBIN/rmaps" "$tmp/go" "$n"
pid=$CR_PID
cr_wait_line "$tmp/m0.out" '^ready$' "$pid" 60
cr_checkpoint "$pid" "$img"
cr_kill "$pid"
: >"$tmp/go"
CR_STATUS=0
(ulimit -v 4000000 && exec timeout -k 5 120 "$CR_RUN" "$RESTART" "$img") \
    >"$tmp/m1.out" 2>"$tmp/m1.err" </dev/null || CR_STATUS=$?
[ "$CR_STATUS" -eq 0 ] && grep -q "^PASS: $n pages" "$tmp/m1.out" ||
    cr_fail "restart of $n mappings under ulimit -v 4000000: exit" \
	"$CR_STATUS: $(head -n 1 "$tmp/m1.err") $(head -n 1 "$tmp/m1.out")"
cr_say "$(cat "$tmp/m1.out")"
exit 0
