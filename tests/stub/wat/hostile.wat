;; A hostile guest for the JVM host's tests (HostileModuleTest): the world's core signatures, so the
;; pool accepts it, and behaviour that no honest guest has. `recorder.record` picks a behaviour by
;; the first byte of its event; it answers ok(42) when it survives.
;;
;;   a  cabi_realloc calls an import (clock.now-ms) while the host lowers settings.get's result
;;   b  cabi_realloc returns a pointer past the end of memory (settings.get)
;;   c  cabi_realloc returns a misaligned pointer for an 8-aligned list (storage.peek)
;;   d  cabi_realloc returns the same bytes for every allocation (settings.get): overlapping
;;   e  cabi_post_…#record calls an import
;;   f  log.emit with 4096 counters whose names all point at the same 64 KiB
;;   g  log.emit with 4 counters whose names all point at the same 16 bytes (within budget)
;;   h  log.emit with a list over the spec's 2^28-1 byte cap
;;   i  leaves cabi_realloc calling an import, for the next call's argument lowering
;;   j  leaves cabi_realloc returning out-of-bounds pointers, for the next call
;;
;; `recorder.stats` returns the aliased list of `f` as an export result.
(module
  (import "owly:analytics/clock@0.2.0" "now-ms" (func $now (result i64)))
  (import "owly:analytics/settings@0.2.0" "get" (func $settings_get (param i32)))
  (import "owly:analytics/storage@0.2.0" "peek" (func $peek (param i32 i32)))
  (import "owly:analytics/log@0.2.0" "emit" (func $emit (param i32 i32 i32 i32 i32)))
  ;; [0, 0x4000) scratch and return areas; [0x4000, 0x10000) heap; [0x10000, 0x20000) counters.
  (memory (export "memory") 2 16)
  (global $next (mut i32) (i32.const 0x4000))
  (global $realloc_mode (mut i32) (i32.const 0))
  (global $post_mode (mut i32) (i32.const 0))

  (func (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    (if (i32.eq (global.get $realloc_mode) (i32.const 1))
      (then (drop (call $now))))
    (if (i32.eq (global.get $realloc_mode) (i32.const 2))
      (then (return (i32.const 0xfffffff0))))
    (if (i32.eq (global.get $realloc_mode) (i32.const 3))
      (then (return (i32.const 0x4001))))
    (if (i32.eq (global.get $realloc_mode) (i32.const 4))
      (then (return (i32.const 0x4000))))
    (local.set $ptr
      (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $ptr) (local.get $size)))
    (local.get $ptr))

  ;; n counters at 0x10000, each {name: (ptr 0, len), value: 0}.
  (func $aliased_counters (param $n i32) (param $len i32)
    (local $i i32) (local $at i32)
    (loop $fill
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then
          (local.set $at (i32.add (i32.const 0x10000) (i32.mul (local.get $i) (i32.const 16))))
          (i32.store (local.get $at) (i32.const 0))
          (i32.store offset=4 (local.get $at) (local.get $len))
          (i64.store offset=8 (local.get $at) (i64.const 0))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $fill)))))

  (func (export "owly:analytics/recorder@0.2.0#record") (param $p i32) (param $len i32) (result i32)
    (local $c i32)
    (if (local.get $len) (then (local.set $c (i32.load8_u (local.get $p)))))
    (block $done
      (if (i32.eq (local.get $c) (i32.const 0x61)) ;; a
        (then (global.set $realloc_mode (i32.const 1)) (call $settings_get (i32.const 0x200))))
      (if (i32.eq (local.get $c) (i32.const 0x62)) ;; b
        (then (global.set $realloc_mode (i32.const 2)) (call $settings_get (i32.const 0x200))))
      (if (i32.eq (local.get $c) (i32.const 0x63)) ;; c
        (then (global.set $realloc_mode (i32.const 3)) (call $peek (i32.const 10) (i32.const 0x300))))
      (if (i32.eq (local.get $c) (i32.const 0x64)) ;; d
        (then (global.set $realloc_mode (i32.const 4)) (call $settings_get (i32.const 0x200))))
      (if (i32.eq (local.get $c) (i32.const 0x65)) ;; e
        (then (global.set $post_mode (i32.const 1))))
      (if (i32.eq (local.get $c) (i32.const 0x66)) ;; f
        (then
          (call $aliased_counters (i32.const 4096) (i32.const 0x10000))
          (call $emit (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0x10000) (i32.const 4096))))
      (if (i32.eq (local.get $c) (i32.const 0x67)) ;; g
        (then
          (call $aliased_counters (i32.const 4) (i32.const 16))
          (call $emit (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0x10000) (i32.const 4))))
      (if (i32.eq (local.get $c) (i32.const 0x68)) ;; h: 2^24 counters of 16 bytes = 2^28 bytes
        (then
          (call $emit (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0x10000) (i32.const 0x1000000))))
      (if (i32.eq (local.get $c) (i32.const 0x69)) ;; i
        (then (global.set $realloc_mode (i32.const 1)) (br $done)))
      (if (i32.eq (local.get $c) (i32.const 0x6a)) ;; j
        (then (global.set $realloc_mode (i32.const 2)) (br $done)))
      (global.set $realloc_mode (i32.const 0)))
    ;; ok(42): result<u64, rejection> is {u8 discriminant, u64 at offset 8}
    (i32.store8 (i32.const 0x100) (i32.const 0))
    (i64.store (i32.const 0x108) (i64.const 42))
    (i32.const 0x100))

  (func (export "cabi_post_owly:analytics/recorder@0.2.0#record") (param i32)
    (if (global.get $post_mode) (then (drop (call $now)))))

  (func (export "owly:analytics/recorder@0.2.0#stats") (result i32)
    (call $aliased_counters (i32.const 4096) (i32.const 0x10000))
    (i32.store (i32.const 0x180) (i32.const 0x10000))
    (i32.store (i32.const 0x184) (i32.const 4096))
    (i32.const 0x180))
)
