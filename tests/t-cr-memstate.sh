#!/bin/sh
# t-cr-memstate: every kind of memory survives a checkpoint, kill and
# restart - heap (brk and mmapped blocks), anonymous mappings (large, with
# holes, read-only, PROT_NONE with contents), .data, .bss, the stack, a
# region of zeros - byte for byte and with the same protections, along
# with the break, the FPU control state and the signal dispositions and
# mask (see tests/memstate.c).
. "$srcdir/tests/cr-lib.sh"

cr_start orig CKPT_FILE="$tmp/img.zst" "$TESTBIN/memstate" "$tmp/go"
pid=$CR_PID
cr_wait_line "$tmp/orig.out" '^ready$' "$pid"
cr_checkpoint "$pid" "$tmp/img.zst"
cr_kill "$pid"
cr_quiet orig

: >"$tmp/go"
cr_restart rst 60 "$tmp/img.zst"
cr_expect_pass rst "$CR_STATUS"
npieces=$(grep -c '^hash ' "$tmp/orig.out")
nok=$(grep -c '^ok ' "$tmp/rst.out")
[ "$nok" -eq "$npieces" ] ||
    cr_fail "$npieces pieces hashed before, $nok checked after"
cr_say "$nok pieces of memory and the process state came back intact"
exit 0
