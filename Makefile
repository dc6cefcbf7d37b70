# One entry point for builds, tests and benchmarks. `make test` is what CI runs.
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
WASM := target/$(WASM_TARGET)/release/owly_core.wasm

.PHONY: all wasm lint test rust-test outside-test java-test jar bench java-bench size demo clean

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
test: lint wasm rust-test java-test outside-test

rust-test: wasm
	$(CARGO) test --workspace

outside-test:
	python3 -m pytest -q tests/outside tests/cli

## The JVM host on H2 and a real PostgreSQL (scripts/pg-start.sh installs and starts it).
java-test: wasm
	eval "$$(scripts/pg-start.sh | tail -n 1)" && mvn -B -f host-java verify

## The runnable jar (builds the release module first, through Maven).
jar:
	mvn -B -q -f host-java package -DskipTests

## The main job: the JVM host demo on an embedded H2 database with a loopback collector.
demo: jar
	java -jar host-java/target/owly.jar demo --payload-dir out/payloads

## Criterion benchmarks (native) and the release module size.
bench: size
	$(CARGO) bench -p owly-core --bench core

size: wasm
	@echo "release module: $$(stat -c %s $(WASM)) bytes ($(WASM))"

clean:
	$(CARGO) clean
