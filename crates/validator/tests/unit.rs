//! Hand-built modules covering the validator's main rules.

use weft_ast::*;
use weft_validator::{Location, validate, validate_parallel};

fn func_type(params: &[ValType], results: &[ValType]) -> SubType {
    SubType::plain(CompositeType::Func(FuncType {
        params: params.to_vec(),
        results: results.to_vec(),
    }))
}

/// A module with one function of type `params -> results` and the given
/// body (an `end` is appended) and locals.
fn one_func(
    params: &[ValType],
    results: &[ValType],
    locals: &[ValType],
    body: Vec<Instr>,
) -> Module {
    let mut m = Module::default();
    m.push_rec_group([func_type(params, results)], false);
    let body = m.push_expr(body.into_iter().chain([Instr::End]));
    m.funcs.push(Func {
        ty: 0,
        locals: locals.iter().map(|&ty| Locals { count: 1, ty }).collect(),
        body,
    });
    m
}

fn error_of(m: &Module) -> String {
    match validate(m, Features::default()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.message().to_string(),
    }
}

use ValType::{F32, I32, I64};

#[test]
fn accepts_simple_function_and_records_its_type() {
    let m = one_func(
        &[I32],
        &[I32],
        &[],
        vec![
            Instr::Block {
                ty: BlockType::Val(I32),
            },
            Instr::LocalGet { local: 0 },
            Instr::I32Const { value: 2 },
            Instr::I32Add,
            Instr::End,
        ],
    );
    let v = validate(&m, Features::WASM1).unwrap();
    assert_eq!(v.func_type(0).params, vec![I32]);
    let facts = v.func_facts(0).unwrap();
    assert_eq!((facts.ty, facts.num_locals), (0, 1));
    assert!(v.func_facts(1).is_none());
}

#[test]
fn reports_type_mismatch_with_position() {
    let m = one_func(&[], &[I32], &[], vec![Instr::I64Const { value: 0 }]);
    let e = validate(&m, Features::default()).unwrap_err();
    assert!(e.message().starts_with("type mismatch"), "{e}");
    assert_eq!(
        e.location(),
        Location::Func {
            func: 0,
            instr: Some(1)
        }
    );
}

#[test]
fn unknown_local_label_function() {
    assert!(
        error_of(&one_func(
            &[],
            &[],
            &[],
            vec![Instr::LocalGet { local: 0 }, Instr::Drop]
        ))
        .starts_with("unknown local")
    );
    assert!(
        error_of(&one_func(&[], &[], &[], vec![Instr::Br { label: 1 }]))
            .starts_with("unknown label")
    );
    assert!(
        error_of(&one_func(&[], &[], &[], vec![Instr::Call { func: 9 }]))
            .starts_with("unknown function")
    );
    assert!(
        error_of(&one_func(
            &[],
            &[],
            &[],
            vec![Instr::GlobalGet { global: 0 }, Instr::Drop]
        ))
        .starts_with("unknown global")
    );
}

#[test]
fn unreachable_makes_stack_polymorphic() {
    let m = one_func(&[], &[I32], &[], vec![Instr::Unreachable, Instr::I32Add]);
    assert!(validate(&m, Features::default()).is_ok());
    // Still typed: an f32 cannot feed i32.add even after unreachable.
    let m = one_func(
        &[],
        &[I32],
        &[],
        vec![
            Instr::Unreachable,
            Instr::F32Const { value: Ieee32(0) },
            Instr::I32Add,
        ],
    );
    assert!(error_of(&m).starts_with("type mismatch"));
    // Untyped select on references is rejected.
    let r = ValType::FUNCREF;
    let m = one_func(
        &[r, r],
        &[r],
        &[],
        vec![
            Instr::LocalGet { local: 0 },
            Instr::LocalGet { local: 1 },
            Instr::I32Const { value: 0 },
            Instr::Select,
        ],
    );
    assert!(error_of(&m).starts_with("type mismatch"));
}

#[test]
fn br_table_arity_and_types() {
    // Targets of different arities.
    let m = one_func(
        &[],
        &[I32],
        &[],
        vec![
            Instr::Block {
                ty: BlockType::Empty,
            },
            Instr::I32Const { value: 0 },
            Instr::I32Const { value: 0 },
            Instr::BrTable {
                table: Box::new(BrTable {
                    targets: vec![0].into(),
                    default: 1,
                }),
            },
            Instr::End,
            Instr::I32Const { value: 0 },
        ],
    );
    assert!(error_of(&m).starts_with("type mismatch"));
}

#[test]
fn non_defaultable_locals_must_be_set() {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[], &[])], false);
    let nn = ValType::Ref(RefType::new(false, HeapType::Concrete(0)));
    let body = m.push_expr([Instr::LocalGet { local: 0 }, Instr::Drop, Instr::End]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![Locals { count: 1, ty: nn }],
        body,
    });
    assert!(error_of(&m).starts_with("uninitialized local"));

    // Set inside a block, read after it: the initialization is forgotten.
    let mut m = Module::default();
    m.push_rec_group([func_type(&[], &[])], false);
    let body = m.push_expr([
        Instr::Block {
            ty: BlockType::Empty,
        },
        Instr::RefFunc { func: 0 },
        Instr::LocalSet { local: 0 },
        Instr::LocalGet { local: 0 },
        Instr::Drop,
        Instr::End,
        Instr::LocalGet { local: 0 },
        Instr::Drop,
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![Locals { count: 1, ty: nn }],
        body,
    });
    m.exports.push(Export {
        name: "f".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    let e = validate(&m, Features::default()).unwrap_err();
    assert!(e.message().starts_with("uninitialized local"), "{e}");
    assert_eq!(e.instr(), Some(6));
}

#[test]
fn undeclared_function_reference() {
    let mut m = one_func(&[], &[], &[], vec![Instr::RefFunc { func: 0 }, Instr::Drop]);
    assert!(error_of(&m).starts_with("undeclared function reference"));
    m.exports.push(Export {
        name: "f".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    assert!(validate(&m, Features::default()).is_ok());
}

#[test]
fn alignment_offset_and_lanes() {
    let mut m = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::I32Const { value: 0 },
            Instr::I32Load {
                memarg: MemArg {
                    align: 3,
                    offset: 0,
                    memory: 0,
                },
            },
            Instr::Drop,
        ],
    );
    assert!(error_of(&m).starts_with("unknown memory"));
    m.memories.push(MemoryType {
        addr: AddrType::I32,
        limits: Limits { min: 1, max: None },
        shared: false,
        page_size_log2: None,
    });
    assert!(error_of(&m).starts_with("alignment must not be larger than natural"));

    let mut m = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::I32Const { value: 0 },
            Instr::I32Load {
                memarg: MemArg {
                    align: 2,
                    offset: 1 << 32,
                    memory: 0,
                },
            },
            Instr::Drop,
        ],
    );
    m.memories.push(MemoryType {
        addr: AddrType::I32,
        limits: Limits { min: 1, max: None },
        shared: false,
        page_size_log2: None,
    });
    assert!(error_of(&m).starts_with("offset out of range"));

    let m = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::V128Const {
                value: Box::new(V128([0; 16])),
            },
            Instr::I32x4ExtractLane { lane: 4 },
            Instr::Drop,
        ],
    );
    assert!(error_of(&m).starts_with("invalid lane index"));
}

#[test]
fn memory_limits_and_counts() {
    let mem = |min, max| MemoryType {
        addr: AddrType::I32,
        limits: Limits { min, max },
        shared: false,
        page_size_log2: None,
    };
    let mut m = Module::default();
    m.memories.push(mem(65537, None));
    assert_eq!(
        error_of(&m),
        "memory size must be at most 65536 pages (4GiB)"
    );
    m.memories[0] = mem(2, Some(1));
    assert_eq!(
        error_of(&m),
        "size minimum must not be greater than maximum"
    );
    m.memories[0] = mem(1, None);
    m.memories.push(mem(1, None));
    assert!(validate(&m, Features::default()).is_ok());
    assert_eq!(
        validate(&m, Features::WASM2).unwrap_err().message(),
        "multiple memories"
    );
}

#[test]
fn features_switch_proposals_off() {
    // Multi-value results are a Wasm 2.0 feature.
    let m = one_func(
        &[],
        &[I32, I32],
        &[],
        vec![Instr::I32Const { value: 0 }, Instr::I32Const { value: 0 }],
    );
    assert!(validate(&m, Features::WASM2).is_ok());
    assert!(validate(&m, Features::WASM1).is_err());
    // Sign extension is not in 1.0.
    let m = one_func(
        &[],
        &[I32],
        &[],
        vec![Instr::I32Const { value: 0 }, Instr::I32Extend8S],
    );
    assert!(validate(&m, Features::WASM2).is_ok());
    assert!(
        validate(&m, Features::WASM1)
            .unwrap_err()
            .message()
            .starts_with("unknown operator")
    );
}

#[test]
fn proposals_off_by_default_reject_their_instructions() {
    // Custom descriptors and legacy exceptions are off in the default set;
    // their instructions check the proposal themselves (the common sets
    // skip the per-instruction check), so each must still be rejected.
    let desc = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::RefNull {
                ty: HeapType::Abstract(AbsHeap::None),
            },
            Instr::RefGetDesc { ty: 0 },
            Instr::Drop,
        ],
    );
    let legacy = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::Try {
                ty: BlockType::Empty,
            },
            Instr::End,
        ],
    );
    for (m, proposal) in [
        (&desc, "custom-descriptors"),
        (&legacy, "legacy-exceptions"),
    ] {
        let e = error_of(m);
        assert!(
            e.starts_with("unknown operator") && e.contains(proposal),
            "{e}"
        );
        // With every proposal on, the instruction is typed instead.
        if let Err(e) = validate(m, Features::ALL) {
            assert!(!e.message().starts_with("unknown operator"), "{e}");
        }
    }
}

#[test]
fn constant_expressions() {
    let mut m = Module::default();
    let init = m.push_expr([
        Instr::I32Const { value: 1 },
        Instr::I32Const { value: 2 },
        Instr::I32Add,
        Instr::End,
    ]);
    m.globals.push(Global {
        ty: GlobalType {
            val: I32,
            mutable: false,
        },
        init,
    });
    assert!(validate(&m, Features::default()).is_ok());
    assert!(
        validate(&m, Features::WASM2)
            .unwrap_err()
            .message()
            .starts_with("constant expression required")
    );
    // Reading a later global is not allowed even with GC.
    let mut m = Module::default();
    let a = m.push_expr([Instr::GlobalGet { global: 1 }, Instr::End]);
    let b = m.push_expr([Instr::I32Const { value: 1 }, Instr::End]);
    m.globals.push(Global {
        ty: GlobalType {
            val: I32,
            mutable: false,
        },
        init: a,
    });
    m.globals.push(Global {
        ty: GlobalType {
            val: I32,
            mutable: false,
        },
        init: b,
    });
    assert!(error_of(&m).starts_with("unknown global"));
}

#[test]
fn duplicate_exports_and_start() {
    let mut m = one_func(&[I32], &[], &[], vec![]);
    m.exports.push(Export {
        name: "a".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    m.exports.push(Export {
        name: "a".into(),
        kind: ExternKind::Func,
        index: 0,
    });
    assert!(error_of(&m).starts_with("duplicate export name"));
    m.exports.pop();
    m.start = Some(0);
    assert!(error_of(&m).starts_with("start function"));
}

#[test]
fn subtyping_and_canonical_types() {
    let open = |supertypes: Vec<u32>, fields: Vec<FieldType>| SubType {
        is_final: false,
        supertypes,
        describes: None,
        descriptor: None,
        composite: CompositeType::Struct(fields),
    };
    let field = |v| FieldType {
        storage: StorageType::Val(v),
        mutable: false,
    };
    let mut m = Module::default();
    m.push_rec_group([open(vec![], vec![field(I32)])], false);
    m.push_rec_group([open(vec![0], vec![field(I32), field(F32)])], false);
    // Structurally equal to type 0: same canonical id.
    m.push_rec_group([open(vec![], vec![field(I32)])], false);
    let v = validate(&m, Features::default()).unwrap();
    assert_eq!(v.canonical[0], v.canonical[2]);
    assert_ne!(v.canonical[0], v.canonical[1]);

    // A field type that does not match its supertype's.
    m.types[1] = open(vec![0], vec![field(I64)]);
    assert!(error_of(&m).starts_with("sub type 1 does not match super type 0"));
    // Final supertypes cannot be extended.
    m.types[1] = open(vec![0], vec![field(I32)]);
    m.types[0].is_final = true;
    assert!(error_of(&m).starts_with("sub type"));
}

#[test]
fn legacy_exceptions() {
    let mut m = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::Try {
                ty: BlockType::Empty,
            },
            Instr::Catch { tag: 0 },
            Instr::Rethrow { label: 0 },
            Instr::End,
        ],
    );
    m.tags.push(TagType {
        attribute: 0,
        ty: 0,
    });
    let f = Features::default().with(Features::LEGACY_EXCEPTIONS);
    assert!(validate(&m, f).is_ok());
    assert!(validate(&m, Features::default()).is_err());
    // rethrow must name a catch.
    let mut m = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::Try {
                ty: BlockType::Empty,
            },
            Instr::Rethrow { label: 0 },
            Instr::End,
        ],
    );
    m.tags.push(TagType {
        attribute: 0,
        ty: 0,
    });
    assert!(
        validate(&m, f)
            .unwrap_err()
            .message()
            .starts_with("invalid rethrow label")
    );
}

#[test]
fn parallel_reports_the_same_first_error() {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[], &[])], false);
    for k in 0..40 {
        let body = if k % 7 == 3 {
            m.push_expr([Instr::I32Const { value: 0 }, Instr::End])
        } else {
            m.push_expr([Instr::Nop, Instr::End])
        };
        m.funcs.push(Func {
            ty: 0,
            locals: vec![],
            body,
        });
    }
    let a = validate(&m, Features::default()).unwrap_err();
    let b = validate_parallel(&m, Features::default()).unwrap_err();
    assert_eq!(a, b);
    assert_eq!(a.func(), Some(3));
}

#[test]
fn huge_counts_do_not_hang_or_allocate() {
    // array.new_fixed with a count of 2^32-1 in unreachable code.
    let mut m = Module::default();
    m.push_rec_group([func_type(&[], &[])], false);
    m.push_rec_group(
        [SubType::plain(CompositeType::Array(FieldType {
            storage: StorageType::Val(I32),
            mutable: true,
        }))],
        false,
    );
    let body = m.push_expr([
        Instr::Unreachable,
        Instr::ArrayNewFixed {
            ty: 1,
            len: u32::MAX,
        },
        Instr::Drop,
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![Locals {
            count: u32::MAX,
            ty: I32,
        }],
        body,
    });
    assert_eq!(error_of(&m), "too many locals");
    m.funcs[0].locals.clear();
    assert!(validate(&m, Features::default()).is_ok());
}

#[test]
fn legacy_try_catch_delegate_typing() {
    let f = Features::default().with(Features::LEGACY_EXCEPTIONS);
    let mut m = Module::default();
    m.push_rec_group([func_type(&[I32], &[])], false);
    m.push_rec_group([func_type(&[], &[I32])], false);
    m.tags.push(TagType {
        attribute: 0,
        ty: 0,
    });
    // try (result i32) ... catch 0 (i32 on the stack) ... catch_all ... end
    let body = m.push_expr([
        Instr::Try {
            ty: BlockType::Val(I32),
        },
        Instr::I32Const { value: 1 },
        Instr::Catch { tag: 0 },
        Instr::Catch { tag: 0 },
        Instr::Drop,
        Instr::I32Const { value: 2 },
        Instr::CatchAll,
        Instr::I32Const { value: 3 },
        Instr::End,
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 1,
        locals: vec![],
        body,
    });
    let v = validate(&m, f).unwrap();
    // A catch handler that leaves the wrong type.
    let mut bad = m.clone();
    bad.code[body.start as usize + 5] = Instr::F32Const { value: Ieee32(0) };
    assert!(
        validate(&bad, f)
            .unwrap_err()
            .message()
            .starts_with("type mismatch")
    );
    assert_eq!(v.func_facts(0).unwrap().ty, 1);

    // delegate names a label outside the try; 1 is past the function.
    let mut m = one_func(
        &[],
        &[],
        &[],
        vec![
            Instr::Try {
                ty: BlockType::Empty,
            },
            Instr::Delegate { label: 0 },
        ],
    );
    assert!(validate(&m, f).is_ok());
    m.code[1] = Instr::Delegate { label: 1 };
    assert!(
        validate(&m, f)
            .unwrap_err()
            .message()
            .starts_with("unknown label")
    );
}

#[test]
fn try_table_catch_clauses_match_labels() {
    let mut m = Module::default();
    m.push_rec_group([func_type(&[I32], &[])], false);
    m.push_rec_group([func_type(&[], &[])], false);
    m.tags.push(TagType {
        attribute: 0,
        ty: 0,
    });
    let body = m.push_expr([
        Instr::Block {
            ty: BlockType::Val(I32),
        },
        Instr::TryTable {
            table: Box::new(TryTable {
                ty: BlockType::Empty,
                catches: vec![Catch::One { tag: 0, label: 0 }],
            }),
        },
        Instr::End,
        Instr::Unreachable,
        Instr::End,
        Instr::Drop,
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 1,
        locals: vec![],
        body,
    });
    assert!(validate(&m, Features::default()).is_ok());
    // catch_ref also delivers an exnref, which the i32 label cannot take.
    if let Instr::TryTable { table } = &mut m.code[1] {
        table.catches[0] = Catch::OneRef { tag: 0, label: 0 };
    }
    assert!(error_of(&m).starts_with("type mismatch"));
    // Tags must not have results.
    m.tags[0].ty = 1;
    m.types[1] = func_type(&[], &[I32]);
    assert!(error_of(&m).contains("non-empty tag result type"));
}

#[test]
fn registry_is_shared_across_modules() {
    use weft_validator::{TypeRegistry, validate_with};
    let mut reg = TypeRegistry::new();
    let a = one_func(&[I32], &[I32], &[], vec![Instr::LocalGet { local: 0 }]);
    let mut b = one_func(&[I32], &[I32], &[], vec![Instr::LocalGet { local: 0 }]);
    // b has an unrelated type first, then the same signature as a's.
    b.types.insert(0, func_type(&[], &[]));
    b.rec_groups.push(RecGroup {
        start: 1,
        len: 1,
        explicit: false,
    });
    b.funcs[0].ty = 1;
    let va = validate_with(&a, Features::default(), &mut reg).unwrap();
    let vb = validate_with(&b, Features::default(), &mut reg).unwrap();
    assert_eq!(va.canonical[0], vb.canonical[1]);
    assert_ne!(vb.canonical[0], vb.canonical[1]);
    assert!(reg.is_subtype(vb.canonical[1], va.canonical[0]));
}

#[test]
fn gc_casts_and_conversions() {
    let anyref = ValType::Ref(RefType::new(true, HeapType::Abstract(AbsHeap::Any)));
    let externref = ValType::EXTERNREF;
    // br_on_cast: the target type must be a subtype of the source type.
    let cast = |from: AbsHeap, to: AbsHeap| Instr::BrOnCast {
        cast: Box::new(BrOnCast {
            label: 0,
            from: RefType::new(true, HeapType::Abstract(from)),
            to: RefType::new(true, HeapType::Abstract(to)),
        }),
    };
    let m = one_func(
        &[anyref],
        &[anyref],
        &[],
        vec![
            Instr::LocalGet { local: 0 },
            cast(AbsHeap::Any, AbsHeap::I31),
        ],
    );
    assert!(validate(&m, Features::default()).is_ok());
    let m = one_func(
        &[anyref],
        &[anyref],
        &[],
        vec![
            Instr::LocalGet { local: 0 },
            cast(AbsHeap::I31, AbsHeap::Any),
        ],
    );
    assert!(error_of(&m).starts_with("type mismatch"));
    // any.convert_extern keeps nullability and changes hierarchy.
    let m = one_func(
        &[externref],
        &[anyref],
        &[],
        vec![Instr::LocalGet { local: 0 }, Instr::AnyConvertExtern],
    );
    assert!(validate(&m, Features::default()).is_ok());
    let m = one_func(
        &[anyref],
        &[anyref],
        &[],
        vec![Instr::LocalGet { local: 0 }, Instr::AnyConvertExtern],
    );
    assert!(error_of(&m).starts_with("type mismatch"));
    // Without GC these are unknown operators.
    let m = one_func(
        &[externref],
        &[anyref],
        &[],
        vec![Instr::LocalGet { local: 0 }, Instr::AnyConvertExtern],
    );
    assert!(validate(&m, Features::WASM2).is_err());
}

#[test]
fn errors_name_the_instruction() {
    let m = one_func(
        &[],
        &[],
        &[],
        vec![Instr::I64Const { value: 0 }, Instr::I32Eqz, Instr::Drop],
    );
    let e = validate(&m, Features::default()).unwrap_err();
    assert_eq!(e.op(), Some("i32.eqz"));
    assert_eq!(
        e.to_string(),
        "func 0, instruction 1 (i32.eqz): type mismatch: instruction requires [i32] but stack has [i64]"
    );
}

/// Adds a function of type 0 with this body (an `end` appended).
fn add_func(m: &mut Module, body: Vec<Instr>) {
    let body = m.push_expr(body.into_iter().chain([Instr::End]));
    m.funcs.push(Func {
        ty: 0,
        locals: Vec::new(),
        body,
    });
}

#[test]
fn all_errors_gives_each_invalid_body_its_first_error() {
    use weft_validator::{validate_all_errors, validate_all_errors_parallel};
    // Type 0: [] -> [].
    let mut m = one_func(&[], &[], &[], vec![Instr::Nop]);
    // 1: an `i32.add` on an empty stack (the `drop` after it follows from it).
    add_func(&mut m, vec![Instr::I32Add, Instr::Drop]);
    add_func(&mut m, vec![]);
    // 3: an unknown local, after a valid start.
    add_func(
        &mut m,
        vec![
            Instr::I32Const { value: 1 },
            Instr::Drop,
            Instr::LocalGet { local: 4 },
            Instr::F32Neg,
        ],
    );
    // A data segment for a memory that is not there.
    let offset = m.push_expr([Instr::I32Const { value: 0 }, Instr::End]);
    m.datas.push(Data {
        mode: DataMode::Active { memory: 0, offset },
        init: vec![1],
    });
    let errors = validate_all_errors(&m, Features::default()).unwrap_err();
    let places: Vec<Location> = errors.iter().map(|e| e.location()).collect();
    assert_eq!(
        places,
        [
            Location::Func {
                func: 1,
                instr: Some(0)
            },
            Location::Func {
                func: 3,
                instr: Some(2)
            },
            Location::Data(0),
        ]
    );
    assert!(errors[0].message().contains("type mismatch"));
    assert!(errors[1].message().contains("unknown local"));
    assert!(errors[2].message().contains("unknown memory"));
    // The first is the one `validate` stops at; in parallel, the same.
    assert_eq!(validate(&m, Features::default()).unwrap_err(), errors[0]);
    assert_eq!(
        validate_all_errors_parallel(&m, Features::default()).unwrap_err(),
        errors
    );
}

#[test]
fn all_errors_stops_at_a_module_level_error() {
    use weft_validator::validate_all_errors;
    // A global initialized with the wrong type, and an invalid body.
    let mut m = one_func(&[], &[], &[], vec![Instr::I32Add]);
    let init = m.push_expr([Instr::F32Const { value: Ieee32(0) }, Instr::End]);
    m.globals.push(Global {
        ty: GlobalType {
            val: I32,
            mutable: false,
        },
        init,
    });
    let errors = validate_all_errors(&m, Features::default()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].location(), Location::Global(0));
    assert_eq!(validate(&m, Features::default()).unwrap_err(), errors[0]);
    // A valid module: the same result as `validate`.
    let m = one_func(&[I32], &[I32], &[], vec![Instr::LocalGet { local: 0 }]);
    let all = validate_all_errors(&m, Features::default()).unwrap();
    let one = validate(&m, Features::default()).unwrap();
    assert_eq!(all.func_facts(0), one.func_facts(0));
    assert_eq!(all.func_types, one.func_types);
}
