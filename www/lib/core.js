// The wasm-bindgen build of the same Rust core the instance runs (src/web.rs): every payload is
// decoded and its hash recomputed here, independently of what the server says.

import init, { catalog, decode, decode_batch, verify } from '../pkg/owly_core.js';

export { catalog, decode, decode_batch as decodeBatch, init, verify };

/** Runs a wasm export that returns JSON text; its errors are real `Error`s with a message. */
export function callCore(fn, ...args) {
  return JSON.parse(fn(...args));
}
