//! RFC 6287 OCRA one-time passwords (SHA-1 HOTP suites).
// STUB — owned by helper H2.
