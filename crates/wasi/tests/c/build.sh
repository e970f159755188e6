#!/bin/sh
# Rebuilds demo.wasm from demo.c (Debian: apt-get install clang lld
# wasi-libc libclang-rt-dev-wasm32). The .wasm is committed so that the test
# needs no C toolchain.
set -e
cd "$(dirname "$0")"
clang --target=wasm32-wasi --sysroot=/usr -O2 -s -o demo.wasm demo.c
