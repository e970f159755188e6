;; f64 matrix multiply C = A * B of n x n row-major matrices in memory
;; (A at 0, B after it, C after B; n <= 100). The entries are small
;; integers, so every sum is exact and the checksum is the same on any
;; engine. run(n) = the sum of C's entries, as an i64.
(module
  (memory 4)
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $k i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local $sum f64) (local $total f64)
    (local.set $b (i32.mul (i32.mul (local.get $n) (local.get $n)) (i32.const 8)))
    (local.set $c (i32.shl (local.get $b) (i32.const 1)))
    ;; A[i][j] = (i + j) % 7, B[i][j] = (i * j) % 5 - 2.
    (block $fill_done
      (loop $fill_i
        (br_if $fill_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $row_done
          (loop $fill_j
            (br_if $row_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $k
              (i32.shl
                (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j))
                (i32.const 3)))
            (f64.store (local.get $k)
              (f64.convert_i32_u
                (i32.rem_u (i32.add (local.get $i) (local.get $j)) (i32.const 7))))
            (f64.store (i32.add (local.get $b) (local.get $k))
              (f64.convert_i32_s
                (i32.sub
                  (i32.rem_u (i32.mul (local.get $i) (local.get $j)) (i32.const 5))
                  (i32.const 2))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $fill_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill_i)))
    ;; The triple loop.
    (local.set $i (i32.const 0))
    (block $i_done
      (loop $loop_i
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $j_done
          (loop $loop_j
            (br_if $j_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $sum (f64.const 0))
            (local.set $k (i32.const 0))
            (block $k_done
              (loop $loop_k
                (br_if $k_done (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $sum
                  (f64.add (local.get $sum)
                    (f64.mul
                      (f64.load
                        (i32.shl
                          (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k))
                          (i32.const 3)))
                      (f64.load
                        (i32.add (local.get $b)
                          (i32.shl
                            (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j))
                            (i32.const 3)))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $loop_k)))
            (f64.store
              (i32.add (local.get $c)
                (i32.shl
                  (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j))
                  (i32.const 3)))
              (local.get $sum))
            (local.set $total (f64.add (local.get $total) (local.get $sum)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $loop_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $loop_i)))
    (i64.trunc_f64_s (local.get $total))))
