;; SIMD dot product: two vectors of n pseudo-random i32s (n a multiple of
;; 4, n <= 128 Ki), multiplied and summed four lanes at a time with i32x4
;; (wrapping), 16 passes. run(n) = the sum of the passes' lane totals.
(module
  (memory 16)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $seed i32) (local $b i32) (local $pass i32)
    (local $acc v128) (local $total i64)
    (local.set $b (i32.shl (local.get $n) (i32.const 2)))
    (local.set $seed (i32.const 99))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
        (local.set $seed
          (i32.add (i32.mul (local.get $seed) (i32.const 1664525)) (i32.const 1013904223)))
        (i32.store (local.get $i) (i32.shr_s (local.get $seed) (i32.const 16)))
        (i32.store (i32.add (local.get $b) (local.get $i))
          (i32.shr_s (i32.mul (local.get $seed) (i32.const 69069)) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $fill)))
    (block $passes_done
      (loop $passes
        (br_if $passes_done (i32.ge_u (local.get $pass) (i32.const 16)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $done
          (loop $dot
            (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.mul
                  (v128.load (local.get $i))
                  (v128.load (i32.add (local.get $b) (local.get $i))))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $dot)))
        (local.set $total
          (i64.add (local.get $total)
            (i64.add
              (i64.add
                (i64.extend_i32_s (i32x4.extract_lane 0 (local.get $acc)))
                (i64.extend_i32_s (i32x4.extract_lane 1 (local.get $acc))))
              (i64.add
                (i64.extend_i32_s (i32x4.extract_lane 2 (local.get $acc)))
                (i64.extend_i32_s (i32x4.extract_lane 3 (local.get $acc)))))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $passes)))
    (local.get $total)))
