//! The `spectest` module that the official testsuite imports.

use weft_ast::{AddrType, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};

use crate::runtime::linker::Linker;
use crate::runtime::store::{Extern, Store};
use crate::trap::Error;
use crate::value::Value;

/// Defines the `spectest` module in `linker`, creating its entities in
/// `store`: the `print*` functions (which print nothing), the globals
/// `global_i32`, `global_i64` (666), `global_f32`, `global_f64` (666.6), the
/// tables `table` and `table64` (10 to 20 funcrefs, 32- and 64-bit), the
/// memory `memory` (1 to 2 pages) and the shared memory `shared_memory` (1
/// to 2 pages), as the current spec interpreter's `spectest` does.
pub fn define(linker: &mut Linker, store: &mut Store) -> Result<(), Error> {
    let prints: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[ValType::I32]),
        ("print_i64", &[ValType::I64]),
        ("print_f32", &[ValType::F32]),
        ("print_f64", &[ValType::F64]),
        ("print_i32_f32", &[ValType::I32, ValType::F32]),
        ("print_f64_f64", &[ValType::F64, ValType::F64]),
    ];
    for (name, params) in prints {
        let ty = FuncType {
            params: params.to_vec(),
            results: vec![],
        };
        let f = store.func(ty, |_, _, _| Ok(()));
        linker.define("spectest", name, Extern::Func(f));
    }
    let globals = [
        ("global_i32", Value::I32(666)),
        ("global_i64", Value::I64(666)),
        ("global_f32", Value::from(666.6f32)),
        ("global_f64", Value::from(666.6f64)),
    ];
    for (name, v) in globals {
        let ty = GlobalType {
            val: v.ty(),
            mutable: false,
        };
        let g = store.global(ty, v)?;
        linker.define("spectest", name, Extern::Global(g));
    }
    // `table` and, for memory64's 64-bit tables, `table64`.
    for (name, addr) in [("table", AddrType::I32), ("table64", AddrType::I64)] {
        let table = store.table(
            TableType {
                addr,
                limits: Limits {
                    min: 10,
                    max: Some(20),
                },
                elem: RefType::FUNCREF,
            },
            Value::FuncRef(None),
        )?;
        linker.define("spectest", name, Extern::Table(table));
    }
    let memory = store.memory(MemoryType {
        addr: AddrType::I32,
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        shared: false,
        page_size_log2: None,
    })?;
    linker.define("spectest", "memory", Extern::Memory(memory));
    let shared = store.memory(MemoryType {
        addr: AddrType::I32,
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        shared: true,
        page_size_log2: None,
    })?;
    linker.define("spectest", "shared_memory", Extern::Memory(shared));
    Ok(())
}
