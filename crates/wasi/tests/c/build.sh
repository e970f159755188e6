#!/bin/sh
# Rebuilds the test programs from their C sources (Debian: apt-get install
# clang lld wasi-libc libclang-rt-dev-wasm32). The .wasm files are
# committed so that the tests need no C toolchain.
set -e
cd "$(dirname "$0")"
for p in demo errnos; do
    clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o $p.wasm $p.c
    chmod -x $p.wasm
done
