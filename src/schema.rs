//! Event validation against the catalogue, fail closed: JSON text in, canonical accepted event out.
// STUB — owned by helper H1.
