#!/bin/bash -eu
# ClusterFuzzLite build script: the same build as OSS-Fuzz's.
exec bash "$SRC/weft/fuzz/oss-fuzz/build.sh"
