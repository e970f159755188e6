#!/bin/sh
# Compares `weft json-from-wast` with wabt's `wast2json` on each script
# given: the same commands with the same fields (file names aside) and
# byte-identical module files. Needs python3; skipped without wast2json.
#
#   scripts/json-from-wast-compare.sh [-w path/to/weft] FILE.wast...
set -u
WEFT=${WEFT:-weft}
if [ "${1:-}" = "-w" ]; then WEFT=$2; shift 2; fi
if ! command -v wast2json >/dev/null 2>&1; then
    echo "SKIPPED: wast2json (wabt) is not on PATH" >&2
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for f in "$@"; do
    "$WEFT" json-from-wast "$f" -o "$tmp/weft.json" 2>/dev/null || { echo "$f: weft failed"; status=1; continue; }
    wast2json "$f" -o "$tmp/wabt.json" || { echo "$f: wast2json failed"; continue; }
    python3 - "$f" "$tmp" <<'PY' || status=1
import json, sys, os
name, tmp = sys.argv[1], sys.argv[2]
a = json.load(open(os.path.join(tmp, "weft.json")))["commands"]
b = json.load(open(os.path.join(tmp, "wabt.json")))["commands"]
fields = files = 0
for x, y in zip(a, b):
    for k in set(x) | set(y):
        if k == "filename":
            if open(os.path.join(tmp, x[k]), "rb").read() != open(os.path.join(tmp, y[k]), "rb").read():
                files += 1
        elif x.get(k) != y.get(k):
            fields += 1
print(f"{name}: {len(a)} commands (wast2json {len(b)}), {fields} fields differ, {files} module files differ")
sys.exit(0 if len(a) == len(b) and fields == 0 and files == 0 else 1)
PY
done
exit $status
