(module
  (global $g (mut i32) (i32.const 2000))
  (func (export "f") (result i64 i64 i64)
    (local i64)
    i32.const 0
    block (param i32) (result i64 i64 i64)
      i64.const -8
      i64.const 7
      local.get 0
      global.get $g
      br_table 1 0
    end))
