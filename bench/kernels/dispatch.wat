;; A call_indirect-heavy loop: n steps, each calling one of eight small
;; functions chosen by an LCG through the table. run(n) = the accumulator.
(module
  (type $op (func (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $add $sub $xor $mul $rotl $rotr $not $shr)
  (func $add (type $op) (i32.add (local.get 0) (i32.const 0x9e3779b9)))
  (func $sub (type $op) (i32.sub (local.get 0) (i32.const 7)))
  (func $xor (type $op) (i32.xor (local.get 0) (i32.const 0x5bd1e995)))
  (func $mul (type $op) (i32.mul (local.get 0) (i32.const 31)))
  (func $rotl (type $op) (i32.rotl (local.get 0) (i32.const 5)))
  (func $rotr (type $op) (i32.rotr (local.get 0) (i32.const 3)))
  (func $not (type $op) (i32.xor (local.get 0) (i32.const -1)))
  (func $shr (type $op) (i32.add (local.get 0) (i32.shr_u (local.get 0) (i32.const 7))))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $seed i32) (local $acc i32)
    (local.set $seed (i32.const 7))
    (local.set $acc (i32.const 1))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $seed
          (i32.add (i32.mul (local.get $seed) (i32.const 1103515245)) (i32.const 12345)))
        (local.set $acc
          (call_indirect (type $op)
            (local.get $acc)
            (i32.shr_u (local.get $seed) (i32.const 29))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $step)))
    (i64.extend_i32_u (local.get $acc))))
