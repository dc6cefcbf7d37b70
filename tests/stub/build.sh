#!/usr/bin/env bash
# Builds the JVM host's test guests from source into OUT_DIR (default: the committed copies in
# host-java/library/src/test/resources/owly-stub/). `make stub-wasm` runs it; StubWasmTest runs it into a
# temporary directory and compares, so a committed module can never drift from its source.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../host-java/library/src/test/resources/owly-stub}"
mkdir -p "$out"
target="${STUB_TARGET_DIR:-$here/target}"
# Registry paths end up in panic locations; map them so the bytes do not depend on CARGO_HOME.
export RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
cd "$here"
cargo build --locked --quiet --release -p owly-stub --target wasm32-unknown-unknown --target-dir "$target"
cp "$target/wasm32-unknown-unknown/release/owly_stub.wasm" "$out/owly_stub.wasm"
cargo build --locked --quiet --release -p wat2wasm --target-dir "$target"
for wat in "$here"/wat/*.wat; do
  "$target/release/wat2wasm" "$wat" "$out/$(basename "${wat%.wat}").wasm"
done
