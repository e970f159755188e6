(module
  (import "env" "log" (func $log (param i32)))
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $main (export "main") (param i32) (result i64)
    (local i32 i32 f64)
    block
      local.get 0
      i32.load offset=4
      i32.const -8
      i32.and
      br_if 0
      i32.const 1
      call $log
    end
    f64.const 0.5
    drop
    global.get $g
    drop
    i64.const 0x7fffffffffffffff)
  (data (i32.const 8) "hello"))
