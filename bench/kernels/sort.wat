;; Recursive quicksort (Lomuto partition) of n pseudo-random i32s in memory
;; (n <= 256 Ki). run(n) = the sum of a[i] * i over the sorted array, or -1
;; if it is not sorted.
(module
  (memory 16)
  (func $quicksort (param $lo i32) (param $hi i32)
    ;; Sorts the elements lo..=hi (indices, not addresses).
    (local $pivot i32) (local $i i32) (local $j i32) (local $t i32)
    (if (i32.ge_s (local.get $lo) (local.get $hi)) (then (return)))
    (local.set $pivot (i32.load (i32.shl (local.get $hi) (i32.const 2))))
    (local.set $i (local.get $lo))
    (local.set $j (local.get $lo))
    (block $done
      (loop $part
        (br_if $done (i32.ge_s (local.get $j) (local.get $hi)))
        (local.set $t (i32.load (i32.shl (local.get $j) (i32.const 2))))
        (if (i32.lt_s (local.get $t) (local.get $pivot))
          (then
            (i32.store (i32.shl (local.get $j) (i32.const 2))
              (i32.load (i32.shl (local.get $i) (i32.const 2))))
            (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $t))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $part)))
    (i32.store (i32.shl (local.get $hi) (i32.const 2))
      (i32.load (i32.shl (local.get $i) (i32.const 2))))
    (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $pivot))
    (call $quicksort (local.get $lo) (i32.sub (local.get $i) (i32.const 1)))
    (call $quicksort (i32.add (local.get $i) (i32.const 1)) (local.get $hi)))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $seed i32) (local $sum i64)
    (local.set $seed (i32.const 42))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $seed
          (i32.add (i32.mul (local.get $seed) (i32.const 1664525)) (i32.const 1013904223)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $seed))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (call $quicksort (i32.const 0) (i32.sub (local.get $n) (i32.const 1)))
    ;; Check the order and fold the array into the checksum.
    (local.set $i (i32.const 1))
    (block $done
      (loop $check
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (if (i32.gt_s
              (i32.load (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 2)))
              (i32.load (i32.shl (local.get $i) (i32.const 2))))
          (then (return (i64.const -1))))
        (local.set $sum
          (i64.add (local.get $sum)
            (i64.mul
              (i64.extend_i32_s (i32.load (i32.shl (local.get $i) (i32.const 2))))
              (i64.extend_i32_u (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $check)))
    (local.get $sum)))
