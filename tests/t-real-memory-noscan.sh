#!/bin/sh
# t-real-memory-noscan: t-real-memory on a kernel without PAGEMAP_SCAN
# (before Linux 6.7), where the snapshot looks at every window of private
# memory and skips its holes through /proc/self/pagemap: the same layouts,
# the same scattered pages, the same checks, and the image stays small.
RMEM_WITHOUT=pagemap_scan
. "$srcdir/tests/t-real-memory.sh"
