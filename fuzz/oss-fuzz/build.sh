#!/bin/bash -eu
# OSS-Fuzz build script (projects/weft/build.sh upstream), also used by
# ClusterFuzzLite. Builds every cargo-fuzz target of fuzz/ with the
# sanitizer flags the builder image sets, and copies the binaries to $OUT.
# Locally: SRC=$PWD/.. OUT=/tmp/out RUSTC_BOOTSTRAP=1 bash fuzz/oss-fuzz/build.sh
# from a checkout named `weft` (needs cargo-fuzz; RUSTC_BOOTSTRAP=1 lets a
# stable toolchain take cargo-fuzz's nightly flags). FUZZ_TARGET_DIR
# overrides the cargo target directory (default fuzz/target).
cd "$SRC/weft/fuzz"
target_root="${FUZZ_TARGET_DIR:-$PWD/target}"
cargo fuzz build -O --debug-assertions --target-dir "$target_root"
target_dir="$target_root/x86_64-unknown-linux-gnu/release"
for target in $(cargo fuzz list); do
  cp "$target_dir/$target" "$OUT/"
done
