#!/usr/bin/env bash
# Style and static checks: clang-format (Google base, .clang-format) and clang-tidy (.clang-tidy)
# over telltale's C++ sources. Usage: scripts/lint.sh BUILD_DIR (which holds compile_commands.json).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'include/*.h' 'bench/*.cc' 'fuzz/*.cc' 'python/native/*.cc' 'python/native/*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files formatted"
mapfile -t sources < <(git ls-files 'src/*.cc' | grep -v '_test\.cc$')
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build_dir" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null
echo "clang-tidy: ${#sources[@]} files clean"
