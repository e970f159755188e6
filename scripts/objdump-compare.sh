#!/bin/sh
# Compares `weft objdump -d` with `wasm-objdump -d` (wabt) on each module
# given: the same functions at the same offsets, the same instruction
# sequence (each line's offset and bytes, the part left of `|`), and counts
# the lines whose text after `|` differs (mnemonic and immediate spelling,
# and the local indices wabt 1.0.32 numbers from another function's
# parameter count). Exit status 1 when any offset or byte differs.
#
#   scripts/objdump-compare.sh [-w path/to/weft] FILE.wasm...
set -u
WEFT=${WEFT:-weft}
if [ "${1:-}" = "-w" ]; then WEFT=$2; shift 2; fi
if ! command -v wasm-objdump >/dev/null 2>&1; then
    echo "SKIPPED: wasm-objdump (wabt) is not on PATH" >&2
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in "$@"; do
    "$WEFT" objdump -d "$f" | sed 1,3d >"$tmp/weft" || { echo "$f: weft failed"; status=1; continue; }
    wasm-objdump -d "$f" | sed 1,3d >"$tmp/wabt" || { echo "$f: wasm-objdump failed"; status=1; continue; }
    cut -d'|' -f1 "$tmp/weft" >"$tmp/weft.left"
    cut -d'|' -f1 "$tmp/wabt" >"$tmp/wabt.left"
    lines=$(wc -l <"$tmp/wabt")
    if cmp -s "$tmp/weft.left" "$tmp/wabt.left"; then
        text=$(paste -d'\n' "$tmp/weft" "$tmp/wabt" | awk 'NR % 2 == 1 { a = $0; next } a != $0' | wc -l)
        echo "$f: $lines lines, offsets and bytes identical; $text lines' text differs"
    else
        echo "$f: offsets or bytes DIFFER:"
        diff "$tmp/weft.left" "$tmp/wabt.left" | head -10
        status=1
    fi
done
exit $status
