#!/usr/bin/env bash
# Copyright (C) 2026 The Teken developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up, builds from scratch into _build-test and runs the whole test suite (this is what CI runs).
# Extra arguments go to `meson test`, e.g. `bash tools/test.sh --suite interop`.
# TEKEN_JOBS=N limits build and test parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh

jobs=()
test_jobs=()
if [ -n "${TEKEN_JOBS:-}" ]; then
  jobs=(-j "$TEKEN_JOBS")
  test_jobs=(--num-processes "$TEKEN_JOBS")
fi

rm -rf _build-test
meson setup _build-test
ninja -C _build-test "${jobs[@]}"

# GTK tests need a display, keyring tests a session bus.
set +e
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  meson test -C _build-test --print-errorlogs "${test_jobs[@]}" "$@"
status=$?
set -e
echo "test: meson test exited with status $status (log: _build-test/meson-logs/testlog.txt)"
exit $status
