//! The event catalogue: every event and attribute that can ever leave the instance, as data.
// STUB — owned by helper H1 (see API in the helper prompt).
