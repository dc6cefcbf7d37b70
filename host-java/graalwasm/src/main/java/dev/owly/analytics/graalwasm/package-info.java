/**
 * The core module on GraalWasm (Truffle), JDK 21+: a {@link dev.owly.analytics.runtime.WasmRuntime}
 * behind the library's one Canonical ABI engine and pool, found through {@link
 * java.util.ServiceLoader}. Kept out of the library so it has no GraalVM dependency and stays on
 * Java 17.
 */
package dev.owly.analytics.graalwasm;
