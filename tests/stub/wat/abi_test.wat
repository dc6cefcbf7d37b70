;; A guest for the Canonical ABI engine's tests: a memory, a bump allocator as cabi_realloc,
;; and nothing else. The allocator never frees; tests create a fresh instance each.
(module
  (memory (export "memory") 1 4)
  (global $next (mut i32) (i32.const 1024))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $ptr i32)
    ;; ptr = align_to(next, align)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $next (i32.add (local.get $ptr) (local.get $size)))
    (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.const 1)))))
    (local.get $ptr))
  ;; A hostile "export" that returns a result pointer far outside memory.
  (func (export "bad-retptr") (result i32) (i32.const 0x7ffffff0))
  ;; An export returning a pointer to a string record (ptr,len) that was put at 16 by the test.
  (func (export "ret16") (result i32) (i32.const 16))
)
