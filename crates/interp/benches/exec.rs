//! Execution speed of the interpreter on three small kernels: recursive
//! calls, a local-variable loop, and a memory loop. Peers are compared in
//! the `bench/` workspace; this bench tracks the interpreter alone.

use criterion::{Criterion, criterion_group, criterion_main};
use weft_interp::{Linker, Module, Store, Value};

const KERNELS: &str = r#"
(module
  (memory 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "loop") (param i32) (result i32) (local i32 i32)
    (block $b (loop $l
      (br_if $b (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (i32.xor (local.get 0) (i32.const 0x55))))
      (local.set 2 (i32.add (local.get 2) (i32.mul (local.get 1) (i32.const 3))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $l)))
    (i32.add (local.get 1) (local.get 2)))
  (func (export "mem") (param i32) (result i32) (local i32 i32)
    (loop $outer
      (local.set 1 (i32.const 0))
      (loop $l
        (i32.store (local.get 1) (i32.add (i32.load (local.get 1)) (local.get 1)))
        (local.set 2 (i32.add (local.get 2) (i32.load offset=4 (local.get 1))))
        (local.set 1 (i32.add (local.get 1) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get 1) (i32.const 65528))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $outer (local.get 0)))
    (local.get 2))
)
"#;

fn kernels(c: &mut Criterion) {
    let bytes = wat::parse_str(KERNELS).expect("kernels parse");
    let module = Module::new(weft_parser::parse(&bytes).expect("decodes")).expect("valid");
    let mut store = Store::new();
    let inst = Linker::new()
        .instantiate(&mut store, &module)
        .expect("instantiates");
    for (name, arg) in [("fib", 20), ("loop", 100_000), ("mem", 4)] {
        let f = store.export_func(inst, name).expect("exported");
        c.bench_function(&format!("interp/{name}"), |b| {
            b.iter(|| store.call(f, &[Value::I32(arg)]).expect("runs"))
        });
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
