#!/usr/bin/env bash
# Installs what telltale needs to build and test, and nothing that is already there:
# Debian packages with apt-get, Python test references into .venv with pip.
# Safe to run again; each step checks before it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  cmake ninja-build g++ make pkg-config
  clang clang-format clang-tidy libclang-rt-14-dev
  libsimdjson-dev libboost-dev libfmt-dev libcli11-dev libxxhash-dev
  libhwy-dev libabsl-dev libmsgpack-cxx-dev
  libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libyaml-cpp-dev nlohmann-json3-dev
  librocksdb-dev libjemalloc-dev libsqlite3-dev libsqlitecpp-dev libcpp-httplib-dev libssl-dev
  libhowardhinnant-date-dev tzdata libcurl4-openssl-dev prometheus-alertmanager
  python3 python3-venv chromium
)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# The Python environment holds the independent references the tests compare against.
requirements=tests/requirements.txt
stamp=.venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ ! -x .venv/bin/python || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "creating the test environment in .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r "$requirements"
  echo "$want" > "$stamp"
fi

# The Python SDK (python/), built with its native extension from this checkout's sources and
# installed into the same environment; rebuilt whenever those sources change.
sdk_stamp=.venv/.sdk.sha256
sdk_want=$(find python/pyproject.toml python/CMakeLists.txt python/src python/native src include \
             -type f -not -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [[ ! -f $sdk_stamp || $(cat "$sdk_stamp") != "$sdk_want" ]]; then
  echo "installing the Python SDK (python/) into .venv"
  .venv/bin/pip install -q ./python
  echo "$sdk_want" > "$sdk_stamp"
fi
