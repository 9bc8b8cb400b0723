#!/usr/bin/env bash
# Installs the Debian packages loadcast needs to build and test, skipping those already present.
# Usable on its own: scripts/install-deps.sh [--check] (--check only lists what is missing).
set -euo pipefail

packages=(
  build-essential
  cmake
  pkg-config
  libeigen3-dev
  libyaml-cpp-dev
  libcli11-dev
  libspdlog-dev
  libfmt-dev
  nlohmann-json3-dev
  libsqlite3-dev
  libsoci-dev              # the database: SOCI with its sqlite3 and postgresql backends
  libpq-dev
  libpqxx-dev              # only the PostgreSQL tests, to create and inspect their databases
  postgresql
  libcpp-httplib-dev
  libcurl4-openssl-dev
  sqlite3
  s3cmd
  libssl-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  clang
  libclang-rt-14-dev
  chromium
  fonts-dejavu-core
  python3
  python3-pandas           # the Python reference of make bench (bench/python_reference.py) only
  python3-sklearn
  curl
  wrk
)
# The S3-compatible test server runs on Node.js: any node with npm will do (the machine's own, or
# Debian's nodejs and npm when there is none).
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then packages+=(nodejs npm); fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "install-deps: missing: ${missing[*]}"
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "install-deps: run as root (or install sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
