# One entry point for builds, tests and benchmarks. `make test` is what CI runs.
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
WASM := target/$(WASM_TARGET)/release/owly_core.wasm
WASM_BINDGEN ?= wasm-bindgen

.PHONY: attack-test deny tools test-tools all wasm lint test rust-test outside-test java-test jar jar-graalwasm bench java-bench race size demo clean web web-lint browser-test browser-deps stub-wasm

all: wasm

## The release core module (the artifact every host runs).
wasm:
	$(CARGO) build -p owly-core --lib --release --target $(WASM_TARGET)

## Toolchain pieces the builds need, installed when missing (idempotent, quick when present).
tools:
	rustup target add $(WASM_TARGET)
	@$(WASM_BINDGEN) --version 2>/dev/null | grep -q ' 0.2.130$$' || \
	  $(CARGO) install wasm-bindgen-cli --version 0.2.130

## What only the tests need: pytest and PyPI oath (outside checks), Debian's Chromium (browser tests).
## PostgreSQL is installed and started by scripts/pg-start.sh from java-test.
test-tools:
	rustup component add rustfmt clippy
	python3 -m pip install --quiet --disable-pip-version-check pytest oath
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## --- admin page (www/) -------------------------------------------------------------------
## The wasm-bindgen build of the same core for the admin page: a separate artifact, in its own
## target dir so `make wasm` and `make web` never overwrite each other's owly_core.wasm.
WEB_TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)/web
WEB_WASM := $(WEB_TARGET_DIR)/$(WASM_TARGET)/release/owly_core.wasm

web:
	@$(WASM_BINDGEN) --version | grep -q ' 0.2.130$$' || { \
	  echo "need wasm-bindgen-cli 0.2.130: cargo install wasm-bindgen-cli --version 0.2.130"; exit 1; }
	@# strip=debuginfo, not the release profile's full strip: wasm-bindgen reads the
	@# target_features section that a full strip removes.
	CARGO_PROFILE_RELEASE_STRIP=debuginfo $(CARGO) build -p owly-core --lib --release --target $(WASM_TARGET) \
	  --features web --target-dir $(WEB_TARGET_DIR)
	$(WASM_BINDGEN) --target web --no-typescript --out-dir www/pkg $(WEB_WASM)

web-lint:
	$(CARGO) clippy -p owly-core --lib --target $(WASM_TARGET) --features web -- -D warnings

## The admin page in headless Chromium against the real JVM host (host-java/target/owly.jar,
## built by the Java side), or against OWLY_ADMIN_URL when set. Needs npm deps in tests/browser.
browser-test: web browser-deps
	node --test tests/browser/

## The browser tests' npm dependencies (playwright-core, which drives Debian's Chromium).
browser-deps:
	cd tests/browser && npm ci --no-audit --no-fund
## -------------------------------------------------------------------------------------------

## Dependency policy (deny.toml): licences, bans and sources need no network and always run; the
## advisories check needs the RustSec database from github.com, so it runs whenever that can be
## fetched and is reported as not run otherwise. OWLY_DENY_ADVISORIES=require makes a missing
## database an error (for CI machines with network access).
CARGO_DENY_VERSION := 0.20.2
deny:
	@cargo deny --version 2>/dev/null | grep -q ' $(CARGO_DENY_VERSION)$$' || \
	  $(CARGO) install cargo-deny --locked --version $(CARGO_DENY_VERSION)
	cargo deny --workspace check licenses bans sources
	@if timeout 120 cargo deny --workspace fetch db >/dev/null 2>&1; then \
	  cargo deny --workspace check --disable-fetch advisories; \
	elif [ "$${OWLY_DENY_ADVISORIES:-}" = require ]; then \
	  echo "deny: the RustSec advisory database could not be fetched (OWLY_DENY_ADVISORIES=require)"; exit 1; \
	else \
	  echo "deny: advisories NOT checked: the RustSec advisory database (github.com/RustSec/advisory-db) is unreachable here; 'make deny' checks them where it is reachable"; \
	fi

## Formatting and lints, native and wasm32.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy -p owly-core --all-targets -- -D warnings
	$(CARGO) clippy -p owly-core --lib --target $(WASM_TARGET) -- -D warnings
	$(CARGO) clippy -p owly-harness --all-targets -- -D warnings

## Everything: lints, Rust unit + wasmtime harness tests, the JVM host (H2 + PostgreSQL), outside-tool
## checks of golden and demo payloads, the CLI on the public PII cases, the admin page in Chromium.
test: tools test-tools lint web-lint deny wasm web rust-test java-test faults-test outside-test browser-test

rust-test: wasm
	$(CARGO) test --workspace

outside-test:
	python3 -m pytest -q tests/outside tests/cli

## The JVM host's test guests (tests/stub: the wit-bindgen stand-in core, the hand-written .wat
## guests) rebuilt into host-java/library/src/test/resources/owly-stub/. Commit the result:
## StubWasmTest fails when a committed module differs from a fresh build of its source.
stub-wasm:
	tests/stub/build.sh

## The JVM host, every module (library, servlet-javax, servlet-jakarta, cli), on H2 and a real
## PostgreSQL (scripts/pg-start.sh installs and starts it). The servlet modules' BrowserIT run the
## browser tests (tests/browser/, Chromium) against their own container: Jetty 10 (javax.servlet)
## and Jetty 12 ee10 (jakarta.servlet), each in its own module (they share package names).
## Then, on Temurin 25, the graalwasm module: the library's core tests again on GraalWasm with its
## JIT, and scripts/owly-graalwasm on owly.jar. The library is rebuilt there (its own tests
## skipped) so nothing comes from ~/.m2.
JDK25 ?= /usr/lib/jvm/temurin-25-jdk-amd64
GRAALWASM_MVN = JAVA_HOME=$(JDK25) mvn -B -f host-java -pl library,graalwasm -Dowly.library.rebuildOnly=true
java-test: wasm web browser-deps
	eval "$$(scripts/pg-start.sh | tail -n 1)" && mvn -B -f host-java verify
	@test -x $(JDK25)/bin/java || { echo "java-test: no JDK 21+ at $(JDK25) (set JDK25=...)"; exit 1; }
	$(GRAALWASM_MVN) verify

## The attack tests alone (issue 8: slow clients, sign-in floods, DNS rebinding, file modes, ps) on
## the real owly.jar, loopback only, bounded; `make java-test` runs them too (cli's AttackIT).
attack-test: wasm
	mvn -B -f host-java -pl cli -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=AttackIT

## The library (host-java/library/target/owly-analytics-*.jar) and the runnable jar
## host-java/target/owly.jar (cli module, shaded); the release module is built first, through Maven.
jar: web
	mvn -B -q -f host-java package -DskipTests

## GraalWasm next to owly.jar (host-java/target/graalwasm/{lib,compiler}), for scripts/owly-graalwasm.
jar-graalwasm: jar
	$(GRAALWASM_MVN) -q package -DskipTests

## JMH benchmarks of the JVM host (the cli module's bench profile); JMH_ARGS overrides the run.
JMH_ARGS ?= -f 1 -wi 3 -i 5 -w 2s -r 2s
java-bench: wasm
	mvn -B -f host-java -Pbench test-compile -Djmh.args="$(JMH_ARGS)"

## The process-level fault harness (tests/faults/README.md): separate JVMs, kill -9, an outside
## collector, a private PostgreSQL cluster. `faults` is the full run; `faults-test` the bounded one
## of make test (uses the jar java-test built; builds it when missing).
faults: jar
	scripts/pg-start.sh >/dev/null
	python3 tests/faults/run.py

faults-test:
	@test -f host-java/target/owly.jar || $(MAKE) jar
	scripts/pg-start.sh >/dev/null
	python3 tests/faults/run.py --bounded

## The main job: the JVM host demo on an embedded H2 database with a loopback collector.
demo: tools jar
	java -jar host-java/target/owly.jar demo --payload-dir out/payloads

## The performance race (issue 9): native, Endive interpreter and AOT, GraalWasm (JIT, JDK 25)
## and plain Java on the same work; writes docs/performance.md (table) and docs/performance.png.
## Bounded (fixed iterations and times): about 15 minutes on 2 cores. PostgreSQL: database owly_perf.
race: wasm
	python3 -m pip install --quiet --disable-pip-version-check matplotlib
	eval "$$(scripts/pg-start.sh | tail -n 1)" && \
	  { su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='owly_perf'\"" | grep -q 1 || \
	    su postgres -c "psql -qc 'CREATE DATABASE owly_perf OWNER owly'"; } && \
	  OWLY_PG_URL="$$(echo "$$OWLY_PG_URL" | sed 's|/[a-z_]*?|/owly_perf?|')" python3 scripts/race.py

## Criterion benchmarks (native) and the release module size.
bench: size
	$(CARGO) bench -p owly-core --bench core

size: wasm
	@echo "release module: $$(stat -c %s $(WASM)) bytes ($(WASM))"

clean:
	$(CARGO) clean
