#!/bin/sh
# Run each unit-test binary given; their PASS/FAIL lines go to stdout.
status=0
for t in "$@"; do
	"$t" || status=1
done
exit $status
