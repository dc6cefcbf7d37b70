//! Wire format v1: rows → `dataEncoded`, `contentHash`, body; strict decode and verify.
// STUB — owned by helper H2.
