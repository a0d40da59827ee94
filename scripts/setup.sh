#!/usr/bin/env bash
# One command for a fresh Debian machine: install dependencies, build, create ./coursesync-data
# with a demo site (SQLite, no server), run a sample creation file, and show what the site holds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
./build/coursesync init
./build/coursesync demo --courses 200 --users 400 --seed 1
./build/coursesync create --simulate examples/uploadcourses.csv
./build/coursesync create examples/uploadcourses.csv
./build/coursesync categories
./build/coursesync courses --match 'EX-*'
