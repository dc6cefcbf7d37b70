# One entry point for builds, tests and benchmarks. `make test` is what CI runs.
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
WASM := target/$(WASM_TARGET)/release/owly_core.wasm

.PHONY: all wasm lint test rust-test outside-test java-test bench size demo clean

all: wasm

## The release core module (the artifact every host runs).
wasm:
	$(CARGO) build -p owly-core --lib --release --target $(WASM_TARGET)

## Formatting and lints, native and wasm32.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy -p owly-core --all-targets -- -D warnings
	$(CARGO) clippy -p owly-core --lib --target $(WASM_TARGET) -- -D warnings
	$(CARGO) clippy -p owly-harness --all-targets -- -D warnings

## Everything: lints, Rust unit + wasmtime harness tests, outside-tool checks, JVM host.
test: lint wasm rust-test outside-test java-test

rust-test: wasm
	$(CARGO) test --workspace

outside-test:
	python3 -m pytest -q tests/outside

java-test: wasm
	@if [ -f host-java/pom.xml ] && [ -d host-java/src/test ]; then mvn -B -q -f host-java verify; fi

## Criterion benchmarks (native) and the release module size.
bench: size
	$(CARGO) bench -p owly-core --bench core

size: wasm
	@echo "release module: $$(stat -c %s $(WASM)) bytes ($(WASM))"

clean:
	$(CARGO) clean
