package dev.owly.analytics.core;

/** How the core module runs on the JVM. */
public enum Engine {
  /** Translated to JVM bytecode at build time (endive-compiler-maven-plugin): the default. */
  AOT,
  /** Endive's interpreter: slower, no generated classes. */
  INTERPRETER
}
