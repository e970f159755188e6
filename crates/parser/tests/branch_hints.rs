//! The branch hint section (`metadata.code.branch_hint`): decoded into
//! `Module::branch_hints` when it names `if`s and `br_if`s of bodies
//! encoded as weft encodes them, else kept as raw bytes; either way the
//! module encodes back to the same bytes.

use weft_ast::*;

/// A module with one import and two defined functions: function 1 is
/// `local.get 0, if, i32.const 300, drop, end, local.get 0, br_if 0, end`
/// (offsets from its body's start: locals count 1 byte, then 0x01, 0x03,
/// 0x05, 0x08, 0x09, 0x0a, 0x0c, 0x0e), function 2 is `nop, end`.
fn module(hints: Option<CustomKind>) -> Module {
    let mut m = Module::default();
    m.push_rec_group(
        [SubType::plain(CompositeType::Func(FuncType {
            params: vec![ValType::I32],
            results: vec![],
        }))],
        false,
    );
    m.imports.push(Import {
        module: "m".into(),
        name: "f".into(),
        desc: ImportDesc::Func(0),
    });
    let body = m.push_expr([
        Instr::LocalGet { local: 0 },
        Instr::If {
            ty: BlockType::Empty,
        },
        Instr::I32Const { value: 300 },
        Instr::Drop,
        Instr::End,
        Instr::LocalGet { local: 0 },
        Instr::BrIf { label: 0 },
        Instr::End,
    ]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![],
        body,
    });
    let body = m.push_expr([Instr::Nop, Instr::End]);
    m.funcs.push(Func {
        ty: 0,
        locals: vec![],
        body,
    });
    if let Some(kind) = hints {
        m.customs.push(Custom {
            place: Place::After(SectionId::Function),
            kind,
        });
    }
    m
}

/// The hints of function 1: unlikely `if`, likely `br_if`.
fn hints() -> Vec<FuncBranchHints> {
    vec![FuncBranchHints {
        func: 1,
        hints: vec![
            BranchHint {
                instr: 1,
                likely: false,
            },
            BranchHint {
                instr: 6,
                likely: true,
            },
        ],
    }]
}

/// A raw branch hint section with this payload.
fn raw(data: &[u8]) -> Option<CustomKind> {
    Some(CustomKind::Raw {
        name: BRANCH_HINT_SECTION.into(),
        data: data.to_vec(),
    })
}

/// The payload `hints()` encodes to: function 1, two hints at offsets 3
/// (`if`) and 12 (`br_if`), each of size 1.
const PAYLOAD: &[u8] = &[1, 1, 2, 3, 1, 0, 12, 1, 1];

#[test]
fn hints_are_written_at_their_offsets_and_read_back() {
    let mut m = module(Some(CustomKind::BranchHints));
    m.branch_hints = hints();
    let bytes = m.encode();
    // The same bytes as the section given raw: the offsets are right.
    assert_eq!(bytes, module(raw(PAYLOAD)).encode());
    let back = weft_parser::parse(&bytes).unwrap();
    assert_eq!(back.branch_hints, hints());
    assert_eq!(back.customs, m.customs);
    assert_eq!(back.encode(), bytes);
    // The streaming parser gives the same module.
    let mut s = weft_parser::StreamParser::new(Features::default());
    s.feed(&bytes);
    s.end();
    let end = loop {
        if let weft_parser::Event::End(m) = s.next_event().unwrap() {
            break m;
        }
    };
    assert_eq!(end.branch_hints, hints());
}

#[test]
fn wat_writes_what_weft_reads() {
    let text = r#"(module
        (import "m" "f" (func (param i32)))
        (func (param i32)
          local.get 0
          (@metadata.code.branch_hint "\00") if i32.const 300 drop end
          local.get 0
          (@metadata.code.branch_hint "\01") br_if 0)
        (func (param i32) nop))"#;
    let bytes = wat::parse_str(text).unwrap();
    let m = weft_parser::parse(&bytes).unwrap();
    assert_eq!(m.branch_hints, hints());
}

/// Anything that does not name an `if` or `br_if` of a body encoded as
/// weft encodes it, or would not be written back the same, stays raw (and
/// is written back as it was).
#[test]
fn other_sections_stay_raw() {
    let cases: &[&[u8]] = &[
        // Offset 4 is inside the `if`'s block type.
        &[1, 1, 2, 4, 1, 0, 12, 1, 1],
        // Offset 1 is `local.get`, not a branch.
        &[1, 1, 1, 1, 1, 0],
        // Hint value 2, hint size 2.
        &[1, 1, 1, 3, 1, 2],
        &[1, 1, 1, 3, 2, 0, 0],
        // Offsets out of order, functions out of order.
        &[1, 1, 2, 12, 1, 1, 3, 1, 0],
        &[2, 2, 1, 1, 1, 0, 1, 1, 3, 1, 0],
        // An imported function, a function that does not exist.
        &[1, 0, 1, 3, 1, 0],
        &[1, 3, 1, 3, 1, 0],
        // A padded offset; a function without hints (the encoder leaves
        // it out); bytes after the entries; a truncated entry.
        &[1, 1, 1, 0x83, 0x00, 1, 0],
        &[2, 1, 1, 3, 1, 0, 2, 0],
        &[1, 1, 1, 3, 1, 0, 0],
        &[1, 1, 1, 3, 1],
    ];
    for data in cases {
        let bytes = module(raw(data)).encode();
        let m = weft_parser::parse(&bytes).unwrap();
        assert_eq!(m.customs[0].kind, raw(data).unwrap(), "{data:?}");
        assert!(m.branch_hints.is_empty(), "{data:?}");
        assert_eq!(m.encode(), bytes, "{data:?}");
    }
}

/// A body not encoded as weft encodes it (a padded constant) has other
/// offsets: its hints are not trusted, even where they are right for its
/// bytes.
#[test]
fn hints_in_bodies_encoded_otherwise_stay_raw() {
    // The section with offsets 3 and 13: the `br_if` after a padded
    // `i32.const 300` (`41 ac 82 00` instead of `41 ac 02`).
    let data = [1, 1, 2, 3, 1, 0, 13, 1, 1];
    let bytes = module(raw(&data)).encode();
    let code: &[u8] = &[
        0x0a, 0x15, 0x02, 0x0f, 0x00, 0x20, 0x00, 0x04, 0x40, 0x41, 0xac, 0x02, 0x1a, 0x0b, 0x20,
        0x00, 0x0d, 0x00, 0x0b, 0x03, 0x00, 0x01, 0x0b,
    ];
    assert!(bytes.ends_with(code));
    let mut padded = bytes[..bytes.len() - code.len()].to_vec();
    padded.extend_from_slice(&[
        0x0a, 0x16, 0x02, 0x10, 0x00, 0x20, 0x00, 0x04, 0x40, 0x41, 0xac, 0x82, 0x00, 0x1a, 0x0b,
        0x20, 0x00, 0x0d, 0x00, 0x0b, 0x03, 0x00, 0x01, 0x0b,
    ]);
    let m = weft_parser::parse(&padded).unwrap();
    assert_eq!(m.code, module(None).code);
    assert!(m.branch_hints.is_empty());
    assert_eq!(m.customs[0].kind, raw(&data).unwrap());
}

/// A branch hint section after the code section is kept raw.
#[test]
fn a_section_after_the_code_stays_raw() {
    let mut m = module(None);
    m.customs.push(Custom {
        place: Place::After(SectionId::Code),
        kind: raw(PAYLOAD).unwrap(),
    });
    let bytes = m.encode();
    let back = weft_parser::parse(&bytes).unwrap();
    assert!(back.branch_hints.is_empty());
    assert_eq!(back.customs, m.customs);
}
