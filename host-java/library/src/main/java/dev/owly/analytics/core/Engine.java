package dev.owly.analytics.core;

/** How the core module runs on the JVM. */
public enum Engine {
  /** Translated to JVM bytecode at build time (endive-compiler-maven-plugin): the default. */
  AOT,
  /** Endive's interpreter: slower, no generated classes. */
  INTERPRETER,
  /**
   * GraalWasm (Truffle), JDK 21+ only, from the separate {@code dev.owly:owly-graalwasm} module
   * found on the class path; with its optimizing compiler only when the JVM is started with JVMCI
   * and the Graal compiler (see the README). Building a core with it elsewhere fails with {@code
   * engine.unavailable}.
   */
  GRAALWASM
}
