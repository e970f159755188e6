//! The one-pass path (`validate_bytes`, serial and parallel) against
//! `weft_parser::parse_with` then `validate`, on every module of the
//! testsuite: the same verdict, the same message and location, the same
//! module and validation facts.

mod common;

use common::{all_scripts, newer_segment_encoding};
use weft_ast::{Features, Module};
use weft_validator::{BinaryError, ValidModule};

/// What a path makes of a binary, in a form two paths can be compared in.
#[derive(Debug, PartialEq)]
enum Outcome {
    Valid(Box<Module>, Facts),
    Malformed(weft_parser::Error),
    /// The message and the location (the byte offset is the fused path's
    /// own addition).
    Invalid(String, weft_validator::Location),
}

/// The parts of a `ValidModule` that can be compared.
#[derive(Debug, PartialEq)]
struct Facts {
    types: Vec<weft_ast::SubType>,
    canonical: Vec<weft_validator::CanonId>,
    func_types: Vec<u32>,
    num_imported_funcs: u32,
    funcs: Vec<weft_validator::FuncFacts>,
}

fn facts(v: ValidModule) -> Facts {
    Facts {
        types: v.types,
        canonical: v.canonical,
        func_types: v.func_types,
        num_imported_funcs: v.num_imported_funcs,
        funcs: v.funcs,
    }
}

fn two_pass(bytes: &[u8], features: Features) -> Outcome {
    match weft_parser::parse_with(bytes, features) {
        Err(e) => Outcome::Malformed(e),
        Ok(m) => match weft_validator::validate(&m, features) {
            Ok(v) => Outcome::Valid(Box::new(m), facts(v)),
            Err(e) => Outcome::Invalid(e.message().to_string(), e.location()),
        },
    }
}

fn one_pass(r: Result<(Module, ValidModule), BinaryError>) -> Outcome {
    match r {
        Ok((m, v)) => Outcome::Valid(Box::new(m), facts(v)),
        Err(BinaryError::Malformed(e)) => Outcome::Malformed(e),
        Err(BinaryError::Invalid(e)) => Outcome::Invalid(e.message().to_string(), e.location()),
    }
}

#[test]
fn fused_path_agrees_with_parse_then_validate() {
    let (mut compared, mut skipped, mut invalid) = (0, 0, 0);
    let mut failures = Vec::new();
    for s in all_scripts(500) {
        for case in &s.cases {
            // Decoded with other features than validated by the other
            // tests (see `newer_segment_encoding`): not one path's input.
            if newer_segment_encoding(&case.bytes, s.features) {
                skipped += 1;
                continue;
            }
            compared += 1;
            let want = two_pass(&case.bytes, s.features);
            invalid += matches!(want, Outcome::Invalid(..)) as usize;
            let serial = one_pass(weft_validator::validate_bytes(&case.bytes, s.features));
            let parallel = one_pass(weft_validator::validate_bytes_parallel(
                &case.bytes,
                s.features,
            ));
            // Without keeping the code: the same verdict and facts.
            let checked = match weft_validator::check_bytes(&case.bytes, s.features) {
                Ok(v) => match &want {
                    Outcome::Valid(_, f) if *f == facts(v) => None,
                    _ => Some("valid".to_string()),
                },
                Err(e) => {
                    let got = one_pass(Err(e));
                    (got != want).then(|| format!("{got:?}"))
                }
            };
            if let Some(got) = checked {
                failures.push(format!("{}: check_bytes {got}, want {want:?}", case.name));
            }
            if serial != want {
                failures.push(format!("{}: serial {serial:?}, want {want:?}", case.name));
            }
            if parallel != want {
                failures.push(format!(
                    "{}: parallel {parallel:?}, want {want:?}",
                    case.name
                ));
            }
        }
    }
    println!("{compared} modules compared ({invalid} invalid), {skipped} skipped");
    for f in failures.iter().take(20) {
        println!("{f}");
    }
    assert!(compared > 10_000, "the testsuite was not found");
    assert!(failures.is_empty(), "{} disagreements", failures.len());
}

/// A module of `bodies.len()` functions of type `[] -> []`; each body is
/// given without its size (no locals, instructions, `end`). Returns the
/// bytes and the offset of each body's first instruction.
fn module(bodies: &[&[u8]]) -> (Vec<u8>, Vec<usize>) {
    fn leb(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    fn section(id: u8, contents: &[u8], out: &mut Vec<u8>) {
        out.push(id);
        leb(contents.len(), out);
        out.extend_from_slice(contents);
    }
    let mut out = b"\0asm\x01\0\0\0".to_vec();
    section(1, &[1, 0x60, 0, 0], &mut out);
    let mut funcs = Vec::new();
    leb(bodies.len(), &mut funcs);
    funcs.extend(std::iter::repeat_n(0u8, bodies.len()));
    section(3, &funcs, &mut out);
    let mut code = Vec::new();
    leb(bodies.len(), &mut code);
    let mut starts = Vec::new();
    for b in bodies {
        leb(b.len() + 1, &mut code);
        code.push(0); // no locals
        starts.push(code.len());
        code.extend_from_slice(b);
    }
    out.push(10);
    leb(code.len(), &mut out);
    let base = out.len();
    out.extend_from_slice(&code);
    (out, starts.into_iter().map(|s| s + base).collect())
}

const GOOD: &[u8] = &[0x41, 0x00, 0x1a, 0x0b]; // i32.const 0, drop, end
// i32.const 0, i64.const 0, i32.add (type mismatch), drop, end
const BAD: &[u8] = &[0x41, 0x00, 0x42, 0x00, 0x6a, 0x1a, 0x0b];

#[test]
fn body_errors_carry_function_index_and_byte_offset() {
    let (bytes, starts) = module(&[GOOD, BAD]);
    for r in [
        weft_validator::validate_bytes(&bytes, Features::default()),
        weft_validator::validate_bytes_parallel(&bytes, Features::default()),
    ] {
        let Err(BinaryError::Invalid(e)) = r else {
            panic!("expected invalid, got {r:?}");
        };
        assert!(e.message().starts_with("type mismatch"), "{e}");
        assert_eq!(e.func(), Some(1));
        assert_eq!(e.instr(), Some(2));
        assert_eq!(e.op(), Some("i32.add"));
        // The opcode of `i32.add`: two instructions of two bytes in.
        assert_eq!(e.offset(), Some(starts[1] + 4));
        assert_eq!(bytes[starts[1] + 4], 0x6a);
        assert!(
            e.to_string()
                .contains(&format!("at offset {:#x}", starts[1] + 4))
        );
    }
    for r in [
        weft_validator::check_bytes(&bytes, Features::default()),
        weft_validator::check_bytes_parallel(&bytes, Features::default()),
    ] {
        let Err(BinaryError::Invalid(e)) = r else {
            panic!("expected invalid");
        };
        assert_eq!((e.func(), e.offset()), (Some(1), Some(starts[1] + 4)));
    }
    // Text and hand-built modules have no offsets: the instruction index
    // points at the instruction.
    let m = weft_parser::parse(&bytes).unwrap();
    let e = weft_validator::validate(&m, Features::default()).unwrap_err();
    assert_eq!((e.func(), e.instr(), e.offset()), (Some(1), Some(2), None));
}

#[test]
fn parallel_equals_serial_on_many_bodies() {
    // Enough bodies for several chunks; errors in two of them: the lowest
    // function's is the one reported.
    let mut bodies: Vec<&[u8]> = vec![GOOD; 300];
    let valid = module(&bodies).0;
    let serial = weft_validator::validate_bytes(&valid, Features::default()).unwrap();
    let parallel = weft_validator::validate_bytes_parallel(&valid, Features::default()).unwrap();
    assert_eq!(serial.0, parallel.0);
    let checked = weft_validator::check_bytes_parallel(&valid, Features::default()).unwrap();
    assert_eq!(facts(checked), facts(parallel.1.clone()));
    assert_eq!(facts(serial.1), facts(parallel.1));
    assert_eq!(
        Outcome::Valid(Box::new(weft_parser::parse(&valid).unwrap()), {
            let m = weft_parser::parse(&valid).unwrap();
            facts(weft_validator::validate(&m, Features::default()).unwrap())
        }),
        one_pass(weft_validator::validate_bytes(&valid, Features::default()))
    );
    bodies[250] = BAD;
    // In the first run of bodies or in a later one.
    for first in [40u32, 170] {
        bodies[first as usize] = BAD;
        let (bytes, starts) = module(&bodies);
        for r in [
            weft_validator::validate_bytes(&bytes, Features::default()),
            weft_validator::validate_bytes_parallel(&bytes, Features::default()),
        ] {
            let Err(BinaryError::Invalid(e)) = r else {
                panic!("expected invalid");
            };
            assert_eq!(
                (e.func(), e.offset()),
                (Some(first), Some(starts[first as usize] + 4))
            );
        }
        bodies[first as usize] = GOOD;
    }
    bodies[170] = BAD;
    // A decode error after a validation error wins, as in parse then
    // validate: an unknown opcode in body 200.
    bodies[200] = &[0xff, 0x0b];
    let (bytes, starts) = module(&bodies);
    for r in [
        weft_validator::validate_bytes(&bytes, Features::default()),
        weft_validator::validate_bytes_parallel(&bytes, Features::default()),
    ] {
        let Err(BinaryError::Malformed(e)) = r else {
            panic!("expected malformed");
        };
        assert_eq!(e.offset(), starts[200]);
    }
    // A truncated code section: the scan stops early, its error comes
    // after the bodies before it.
    let (mut bytes, _) = module(&vec![GOOD; 300]);
    bytes.truncate(bytes.len() - 100);
    let want = weft_parser::parse(&bytes).unwrap_err();
    for r in [
        weft_validator::validate_bytes(&bytes, Features::default()),
        weft_validator::validate_bytes_parallel(&bytes, Features::default()),
    ] {
        assert_eq!(r.unwrap_err(), BinaryError::Malformed(want.clone()));
    }
}

#[test]
fn huge_body_count_is_an_error_not_an_allocation() {
    // One function, a code section that claims 2^32-1 bodies and holds one.
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
    bytes.extend_from_slice(&[3, 2, 1, 0]);
    bytes.extend_from_slice(&[10, 8, 0xff, 0xff, 0xff, 0xff, 0x0f, 2, 0, 0x0b]);
    let want = weft_parser::parse(&bytes).unwrap_err();
    for r in [
        weft_validator::validate_bytes(&bytes, Features::default()),
        weft_validator::validate_bytes_parallel(&bytes, Features::default()),
    ] {
        assert_eq!(r.unwrap_err(), BinaryError::Malformed(want.clone()));
    }
}
