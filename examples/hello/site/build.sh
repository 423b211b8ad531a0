#!/bin/sh
# The demo's build step: runs in the new release folder on each host, before it goes live.
set -eu
{
  echo "release:  $HOIST_RELEASE"
  echo "revision: $HOIST_REVISION"
  echo "built on: $(hostname) at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "greeting: $GREETING"
} > build-info.txt
