/**
 * Runs the core module on Endive. The module is parsed and compiled once ({@link
 * dev.owly.analytics.runtime.ModuleSource}: build-time AOT classes by default, interpreter on
 * request); {@link dev.owly.analytics.runtime.InstancePool} hands one instance to one caller at a
 * time, discards an instance after a trap or any exception that passed through it, caps linear
 * memory and limits each call's time. The time limit interrupts the calling thread only while it
 * runs guest code (Endive checks the interrupt flag at calls and backward branches), never inside a
 * host capability, so a storage call — one transaction on the host side — is never cut in half.
 */
package dev.owly.analytics.runtime;
