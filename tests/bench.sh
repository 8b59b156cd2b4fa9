#!/bin/bash
# bench.sh - make bench: ckpt beside zstd, measured side by side in one run.
#
# For each size and memory mix, bench-mem fills its memory (and writes the
# same bytes to a file), is checkpointed, killed and restarted; every
# restart is verified against the hash taken before the checkpoint.  Beside
# each step the same bytes go through the zstd command:
#   checkpoint (signal to durable rename)  vs  zstd -1 -T2 FILE + fsync
#   restart (exec to program running)      vs  zstd -d of that output
# This machine is a shared VM whose fresh memory costs vary run to run, so
# each figure is the minimum and the median of BENCH_REPS runs.
#
# Environment: LIBCKPT, RESTART, TESTBIN (set by make bench); BENCH_SIZES
# (MiB, default "64 256 1024", empty: none), BENCH_MIXES (default
# "random text zeros mix"), BENCH_REPS (default 3), BENCH_PYTHON_MB (default 500, 0 = skip),
# BENCH_SPARSE_MB (default 100, 0 = skip: that many MiB of text pages,
# first dense, then one page at a time over a 64 GiB reservation),
# BENCH_CACHE (cold, the default: restart and zstd -d both read their input
# from disk; warm: both from the page cache), CKPT_LEVEL (passed through).
set -eu
sizes=${BENCH_SIZES-64 256 1024}
mixes=${BENCH_MIXES-random text zeros mix}
reps=${BENCH_REPS:-3}
pymb=${BENCH_PYTHON_MB:-500}
sparsemb=${BENCH_SPARSE_MB:-100}
cache=${BENCH_CACHE:-cold}
case $cache in
cold|warm) ;;
*) echo "bench: BENCH_CACHE must be cold or warm, not '$cache'" >&2; exit 2 ;;
esac
tmp=$(mktemp -d /var/tmp/ckpt-bench.XXXXXX)
trap 'rc=$?; jobs -p | xargs -r kill -9 2>/dev/null; rm -rf "$tmp"; exit $rc' EXIT

now() { date +%s%N; }
# min and median of numbers (one per line) with 3 decimals
stats() { sort -g | awk '{a[NR]=$1} END {printf "%.3f/%.3f", a[1], a[int((NR+1)/2)]}'; }
median() { sort -g | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
wait_for() {	# wait_for FILE PATTERN SECONDS
	local i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt $(($3 * 100)) ] && { echo "bench: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 1; }
		sleep 0.01
	done
}

# seconds between two now() readings
elapsed() { echo "scale=3; ($2 - $1) / 1000000000" | bc; }

# run_case SIZE LABEL READY_SECS CMD...: checkpoint and restart CMD (a
# workload that prints "ready", then "back NS" and "verified" once
# restarted) $reps times, each step beside zstd on the same bytes, and print
# one row.  The bytes are the file $tmp/raw if CMD wrote it, otherwise what
# the image stores.
run_case() {
	local size=$1 label=$2 ready=$3 rep pid rpid back t0 t1 img zst cr rr
	shift 3
	: > "$tmp/c"; : > "$tmp/z"; : > "$tmp/p"; : > "$tmp/r"; : > "$tmp/d"
	for rep in $(seq "$reps"); do
		rm -f "$tmp/img.zst" "$tmp/raw.zst" "$tmp/raw"
		CKPT_VERBOSE=1 CKPT_FILE="$tmp/img.zst" LD_PRELOAD="$LIBCKPT" \
		    "$@" > "$tmp/out" 2> "$tmp/err" &
		pid=$!
		wait_for "$tmp/out" '^ready' "$ready"
		kill -USR2 "$pid"
		wait_for "$tmp/err" 'checkpoint written' 120
		sed -n 's/.*paused \([0-9.]*\) ms, took \([0-9.]*\) s.*/\1 \2/p' "$tmp/err" |
		    while read -r p t; do echo "$p" >> "$tmp/p"; echo "$t" >> "$tmp/c"; done
		kill -9 "$pid"; wait "$pid" 2>/dev/null || true
		[ -f "$tmp/raw" ] || zstd -q -d -c "$tmp/img.zst" > "$tmp/raw"

		t0=$(now)
		zstd -q -1 -T2 -f "$tmp/raw" -o "$tmp/raw.zst"
		sync "$tmp/raw.zst"
		t1=$(now)
		elapsed "$t0" "$t1" >> "$tmp/z"

		# both sides read their input from disk (as after a crash or a
		# reboot; the image never went through the page cache), or both
		# from the page cache
		sync "$tmp/img.zst" "$tmp/raw.zst"
		if [ "$cache" = cold ]; then
			dd if="$tmp/img.zst" iflag=nocache count=0 status=none
			dd if="$tmp/raw.zst" iflag=nocache count=0 status=none
		else
			cat "$tmp/img.zst" "$tmp/raw.zst" > /dev/null
		fi
		# in the foreground: no polling shell competes for the CPUs;
		# the program stamps "back" the moment it runs again
		t0=$(now)
		timeout 300 "$RESTART" "$tmp/img.zst" > "$tmp/rout" 2> "$tmp/rerr" ||
		    { echo "bench: $label: restart failed:" >&2; cat "$tmp/rout" "$tmp/rerr" >&2; exit 1; }
		back=$(sed -n 's/^back //p' "$tmp/rout" | head -1)
		[ -n "$back" ] || { echo "bench: $label: no 'back' line" >&2; exit 1; }
		grep -q '^verified' "$tmp/rout" || { echo "bench: $label: restored memory differs" >&2; exit 1; }
		elapsed "$t0" "$back" >> "$tmp/r"

		t0=$(now)
		zstd -q -d -c "$tmp/raw.zst" > /dev/null
		t1=$(now)
		elapsed "$t0" "$t1" >> "$tmp/d"
	done
	img=$(( $(stat -c %s "$tmp/img.zst") >> 20 ))
	zst=$(( $(stat -c %s "$tmp/raw.zst") >> 20 ))
	cr=$(echo "scale=2; $(median < "$tmp/c") / $(median < "$tmp/z")" | bc)
	rr=$(echo "scale=2; $(median < "$tmp/r") / $(median < "$tmp/d")" | bc)
	printf '%-6s %-7s | %-13s %-13s %-6s %-8s | %-8s %-8s | %-13s %-13s %-6s\n' \
	    "$size" "$label" "$(stats < "$tmp/c")" "$(stats < "$tmp/z")" "$cr" \
	    "$(median < "$tmp/p")" "$img" "$zst" "$(stats < "$tmp/r")" \
	    "$(stats < "$tmp/d")" "$rr"
	rm -f "$tmp/raw"
}

echo "ckpt bench on $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r), $(zstd --version | head -1)"
echo "times in seconds as min/median of $reps runs; ratios of medians (ckpt / zstd, lower is better)"
echo "restart and zstd -d read their input from $( [ "$cache" = cold ] && echo disk || echo the page cache)"
printf '%-6s %-7s | %-13s %-13s %-6s %-8s | %-8s %-8s | %-13s %-13s %-6s\n' \
    MiB mix ckpt "zstd-1-T2" ratio "pause-ms" img-MiB zst-MiB restart "zstd-d" ratio

for size in $sizes; do
	for mix in $mixes; do
		run_case "$size" "$mix" 120 \
		    "$TESTBIN/bench-mem" "$size" "$mix" "$tmp/raw"
	done
done

# scaling: the same pages dense, then scattered over 64 GiB of reservation
if [ "$sparsemb" -gt 0 ]; then
	for mix in text sparse; do
		run_case "$sparsemb" "$mix" 120 \
		    "$TESTBIN/bench-mem" "$sparsemb" "$mix" "$tmp/raw"
	done
fi

if [ "$pymb" -gt 0 ] && command -v python3 > /dev/null; then
	# a realistic heap: python objects; zstd gets the bytes the image stores
	cat > "$tmp/heap.py" <<EOF
import os, sys, time
objs = []
n = 0
while n < $pymb * 1024 * 1024:
    d = {"id": len(objs), "name": "object-%d" % len(objs), "vals": list(range(len(objs) % 50)),
         "text": "the quick brown fox %d jumps" % (len(objs) * 7)}
    objs.append(d)
    n += 900
pid = os.getpid()
print("ready", pid, flush=True)
while os.getpid() == pid:
    time.sleep(0.01)
print("back", time.time_ns(), flush=True)
print("verified" if sum(d["id"] for d in objs) == len(objs) * (len(objs) - 1) // 2 else "CORRUPT", flush=True)
EOF
	run_case "$pymb" python3 600 python3 "$tmp/heap.py"
fi
