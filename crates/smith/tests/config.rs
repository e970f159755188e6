//! What the configuration promises: the same bytes give the same module;
//! an instruction filter is obeyed; imports come from `available_imports`
//! only; `ensure_termination` adds the exported fuel global and its check
//! at every function entry; calls of fuelled modules end.

use arbitrary::Unstructured;
use weft_ast::{
    CompositeType, ExternKind, Features, FuncType, GlobalType, Import, ImportDesc, Instr, Module,
    SubType, ValType,
};
use weft_smith::{Config, Smith, seed_bytes};

fn make(seed: u64, config: &Config) -> Module {
    let bytes = seed_bytes(seed, 4096);
    Module::arbitrary(&mut Unstructured::new(&bytes), config).unwrap()
}

#[test]
fn same_bytes_same_module() {
    for config in [Config::default(), Config::swarm(Features::ALL)] {
        for seed in 0..200 {
            assert_eq!(make(seed, &config), make(seed, &config), "seed {seed}");
        }
    }
}

#[test]
fn filter_is_obeyed() {
    let config = Config::with_features(Features::WASM1)
        .allow_only(["i32.add", "i64.mul", "block"])
        .unwrap();
    // What a valid body needs besides the allowed rows: constants and
    // reads of locals and globals (operands), `drop` and `end` (closing
    // blocks).
    let needed = |i: &Instr| {
        matches!(
            i,
            Instr::I32Const { .. }
                | Instr::I64Const { .. }
                | Instr::F32Const { .. }
                | Instr::F64Const { .. }
                | Instr::LocalGet { .. }
                | Instr::GlobalGet { .. }
                | Instr::Drop
                | Instr::End
        )
    };
    let mut adds = 0;
    for seed in 0..300 {
        let m = make(seed, &config);
        for f in &m.funcs {
            for i in m.instrs(f.body) {
                assert!(
                    needed(i) || matches!(i, Instr::I32Add | Instr::I64Mul | Instr::Block { .. }),
                    "seed {seed}: {i:?}"
                );
                adds += matches!(i, Instr::I32Add) as u32;
            }
        }
        weft_validator::validate(&m, Features::WASM1).unwrap();
    }
    assert!(adds > 0);
}

#[test]
fn imports_come_from_the_available_module() {
    let mut avail = Module::default();
    avail.push_rec_group(
        [SubType::plain(CompositeType::Func(FuncType {
            params: vec![ValType::I32],
            results: vec![ValType::I64],
        }))],
        false,
    );
    let imports = [
        Import {
            module: "host".into(),
            name: "f".into(),
            desc: ImportDesc::Func(0),
        },
        Import {
            module: "host".into(),
            name: "g".into(),
            desc: ImportDesc::Global(GlobalType {
                val: ValType::F64,
                mutable: false,
            }),
        },
    ];
    avail.imports.extend(imports.iter().cloned());
    let config = Config {
        available_imports: Some(avail),
        ..Config::default()
    };
    let mut used = 0;
    for seed in 0..300 {
        let m = make(seed, &config);
        for imp in &m.imports {
            assert!(imports.contains(imp), "seed {seed}: {imp:?}");
            used += 1;
        }
        weft_validator::validate(&m, config.features).unwrap();
    }
    assert!(used > 0);
}

#[test]
fn fuel_guards_every_function() {
    let config = Config {
        ensure_termination: Some(50),
        ..Config::default()
    };
    for seed in 0..300 {
        let m = make(seed, &config);
        let fuel = m
            .exports
            .iter()
            .find(|e| e.name == "fuel")
            .expect("the fuel global is exported");
        assert_eq!(fuel.kind, ExternKind::Global);
        for f in &m.funcs {
            assert_eq!(
                m.instrs(f.body)[0],
                Instr::GlobalGet { global: fuel.index },
                "seed {seed}"
            );
        }
    }
}
