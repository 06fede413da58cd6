#!/usr/bin/env bash
# `make fuzz`: runs every cargo-fuzz target in fuzz/ for SECONDS each (default 60) and prints
# executions and crashes per target. Installs cargo-fuzz (and the nightly toolchain) if missing.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# The committed seeds in fuzz/corpus/<target>/ are read but never written: what the fuzzer finds
# goes to fuzz/work/<target>/ (git-ignored, kept between runs). Crashing inputs are saved in
# fuzz/artifacts/<target>/; reproduce one with
#   (cd fuzz && cargo +nightly fuzz run <target> artifacts/<target>/<file>)
# Exits 1 when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

seconds="${1:-60}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(response_reader usage_headers cursor_decoder option_validation redact_json webhook_payload)
fi

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "==> installing the nightly toolchain (cargo-fuzz needs -Zsanitizer)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

cd fuzz
echo "==> building the fuzz targets"
cargo +nightly fuzz build

summary=()
crashed=0
for target in "${targets[@]}"; do
  mkdir -p "work/$target" "artifacts/$target"
  log="work/$target.log"
  before="$(find "artifacts/$target" -type f | sort)"
  echo "==> $target: ${seconds}s"
  set +e
  cargo +nightly fuzz run "$target" "$PWD/work/$target" "$PWD/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1 || true)"
  rate="$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1 || true)"
  corpus="$(find "work/$target" "corpus/$target" -type f | wc -l)"
  new="$(comm -13 <(echo "$before") <(find "artifacts/$target" -type f | sort) | sed '/^$/d')"
  crashes="$(printf '%s' "$new" | grep -c . || true)"
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
    echo "    $target failed without saving an input (exit $status); the end of $log:" >&2
    tail -n 30 "$log" >&2
    crashes="?"
  fi
  if [ "$crashes" != "0" ]; then
    crashed=1
    grep -E "panicked at|ERROR: (libFuzzer|AddressSanitizer)" -A 4 "$log" | head -n 20 || true
    for file in $new; do
      echo "    crashing input: fuzz/$file ($(wc -c <"$file") bytes): $(head -c 300 "$file" | od -An -c | tr -s ' ' | head -n 4 | tr '\n' ' ')"
    done
  fi
  summary+=("$(printf '%-18s %12s execs %8s/s %6s corpus %4s crashes' "$target" "${execs:-?}" "${rate:-?}" "$corpus" "$crashes")")
done

echo "==> fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$crashed"
