#!/bin/sh
# Install what the build needs, build, and run the tracer with the
# given flags: sudo sh scripts/run.sh [--connect-only] [-o json] ...
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh build >&2
make -s trace_tcp >&2
exec ./trace_tcp "$@"
