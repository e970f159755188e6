;; FNV-1a (32-bit) over a buffer of n pseudo-random bytes that it first
;; fills from an LCG (n <= 1 MiB). run(n) = the hash, zero-extended.
(module
  (memory 16)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $seed i32) (local $h i32)
    (local.set $seed (i32.const 12345))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $seed
          (i32.add (i32.mul (local.get $seed) (i32.const 1103515245)) (i32.const 12345)))
        (i32.store8 (local.get $i) (i32.shr_u (local.get $seed) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $h (i32.const 0x811c9dc5))
    (local.set $i (i32.const 0))
    (block $done
      (loop $hash
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h
          (i32.mul
            (i32.xor (local.get $h) (i32.load8_u (local.get $i)))
            (i32.const 0x01000193)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $hash)))
    (i64.extend_i32_u (local.get $h))))
