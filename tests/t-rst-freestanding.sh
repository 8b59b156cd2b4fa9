#!/bin/sh
# t-rst-freestanding: the restorer runs after restart's libc is unmapped,
# from a copy of its own section.  Prove the object can live that way: it
# imports no symbol, it allocates nothing outside the section "rst_blob"
# (no .rodata constants, .data, .bss or jump tables), and its relocations
# only point inside that section.
set -eu
lib="$top_builddir/restart/.libs/librestorer.a"
[ -f "$lib" ] || { echo "FAIL: $lib not built"; exit 99; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && ar x "$(cd "$OLDPWD" && cd "$(dirname "$lib")" && pwd)/librestorer.a")
ld -r -o "$tmp/restorer.o" "$tmp"/*.o

undef=$(nm -u "$tmp/restorer.o")
if [ -n "$undef" ]; then
	echo "FAIL: the restorer imports symbols:"; echo "$undef"; exit 1
fi

# Every allocated section with contents must be rst_blob.
bad=$(readelf -SW "$tmp/restorer.o" | sed -n 's/^ *\[ *[0-9]*\] *//p' |
    while read -r name type addr off size es flags rest; do
	case "$flags" in *A*) ;; *) continue ;; esac
	[ "$name" = rst_blob ] && continue
	[ "$size" = 000000 ] || [ "$((0x$size))" -eq 0 ] && continue
	echo "$name"
    done)
if [ -n "$bad" ]; then
	echo "FAIL: the restorer has allocated sections outside rst_blob:"
	echo "$bad"; exit 1
fi
if ! readelf -SW "$tmp/restorer.o" | grep -q ' rst_blob '; then
	echo "FAIL: no rst_blob section"; exit 1
fi

# Relocations in rst_blob may only name rst_blob's own symbols.
syms=$(nm "$tmp/restorer.o" | awk '{print $NF}')
objdump -r -j rst_blob "$tmp/restorer.o" | awk 'NR > 5 && NF >= 3 {print $3}' |
    sed 's/[-+]0x[0-9a-f]*$//' | sort -u > "$tmp/targets"
while read -r t; do
	[ -z "$t" ] && continue
	case "$t" in rst_blob) continue ;; esac
	if ! echo "$syms" | grep -qx "$t"; then
		echo "FAIL: relocation to $t, which is not in the restorer"; exit 1
	fi
	if ! nm "$tmp/restorer.o" | grep -q " [Tt] $t\$"; then
		echo "FAIL: relocation to $t, not code of the restorer"; exit 1
	fi
done < "$tmp/targets"
echo "PASS: restorer is freestanding ($(wc -l < "$tmp/targets") relocation targets, all in rst_blob)"
