//! Differential test against the `wat` crate: for every module of the
//! testsuite that both parsers accept, the binaries agree once custom
//! sections (names) are dropped, or, where the bytes legitimately differ,
//! both decode (with `weft-parser`) to equal modules.
//!
//! Intentional byte differences:
//! - element segments: wat writes the explicit-table forms (flags 2 and 6)
//!   for `(table ... (elem ...))` and `(elem (table $t) ...)`; weft keeps
//!   no record of how the table was named and writes the shortest form
//!   (flags 0 and 4) for table 0. Both decode to the same segment.
//!
//! Other differences (a module only one parser accepts, binaries that
//! decode differently, names) are intended only where `INTENDED` lists
//! them, each with its reason; any other fails the test.

mod common;

use common::{Role, assert_exact, each_module, wast_files};
use std::collections::BTreeMap;
use weft_ast::{Features, Module};
use weft_wat::{ModuleSource, parse_script_with};

/// The binary's sections without the custom ones.
fn strip_customs(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8.min(bytes.len())].to_vec();
    let mut i = 8;
    while i < bytes.len() {
        let id = bytes[i];
        let mut size: usize = 0;
        let mut shift = 0;
        let mut j = i + 1;
        while j < bytes.len() {
            let b = bytes[j];
            size |= usize::from(b & 0x7f) << shift;
            shift += 7;
            j += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let end = (j + size).min(bytes.len());
        if id != 0 {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
    out
}

/// A binary decoded without its custom sections and names, for comparison.
fn decoded(bytes: &[u8]) -> Option<Module> {
    let mut m = weft_parser::parse_with(&strip_customs(bytes), Features::ALL).ok()?;
    m.customs.clear();
    m.names = Default::default();
    Some(m)
}

/// The differences from wat that are intended, each with why, as
/// `dir/file.wast:line: what` (`what` being `differ`, `only weft accepts`,
/// `only wat accepts`, `names differ` or `script does not parse`). The test
/// fails on a difference not listed and on a listed one that no longer
/// occurs, so that the list stays exactly true.
const INTENDED: &[(&str, &str)] = &[
    (
        "proposals/gc/type-subtyping.wast:344: differ",
        "an implicit function type reuses an existing type only if that type is \
         final with no supertypes, as the spec's abbreviation says; wat also \
         reuses a non-final `(sub (func))`",
    ),
    (
        "proposals/gc/type-subtyping.wast:373: differ",
        "as type-subtyping.wast:344",
    ),
    (
        "wasm-latest/names.wast:19: only weft accepts",
        "wat refuses U+202E (a bidirectional override) in a string as a \
         likely-confusing character; the text format allows any character there",
    ),
    (
        "wasm-v1/names.wast:19: only weft accepts",
        "as wasm-latest/names.wast:19",
    ),
    (
        "wasm-v2/names.wast:19: only weft accepts",
        "as wasm-latest/names.wast:19",
    ),
    (
        "wasm-v3/names.wast:19: only weft accepts",
        "as wasm-latest/names.wast:19",
    ),
];

/// `(module definition ...)` is script syntax for the module `(module ...)`,
/// which is what wat reads.
fn module_text(source: &str, definition: bool) -> String {
    if !definition {
        return source.to_string();
    }
    let rest = source.strip_prefix("(module").expect("a module form");
    let after = rest
        .trim_start()
        .strip_prefix("definition")
        .expect("`definition` after `(module`");
    format!("(module{after}")
}

#[test]
fn binaries_agree_with_wat() {
    let mut same_ast = 0;
    let mut compared = 0;
    let mut scripts = 0;
    let mut found = BTreeMap::new();
    for (name, text) in wast_files() {
        let script = match parse_script_with(text, Features::ALL) {
            Ok(s) => s,
            Err(e) => {
                found.insert(format!("{name}: script does not parse"), e.to_string());
                continue;
            }
        };
        scripts += 1;
        let mut note = |line: u32, what: &str, detail: String| {
            found.insert(format!("{name}:{line}: {what}"), detail);
        };
        each_module(&script.commands, &mut |m, role, _| {
            if role == Role::Malformed {
                return;
            }
            let source = match &m.source {
                ModuleSource::Text(_) => module_text(&text[m.span.clone()], m.definition),
                ModuleSource::Quote(bytes) => match String::from_utf8(bytes.clone()) {
                    Ok(s) => s,
                    Err(_) => return,
                },
                ModuleSource::Binary(_) => return,
            };
            let ours_ast = m.to_module(Features::ALL);
            let ours = ours_ast.as_ref().map(|m| m.encode()).map_err(Clone::clone);
            let theirs = wat::parse_str(&source);
            // The `$id`s become the same name section. (Where weft-parser
            // keeps no names from wat's section, there is nothing to compare.)
            if let (Ok(ast), Ok(bin)) = (&ours_ast, &theirs)
                && let Ok(decoded) = weft_parser::parse_with(bin, Features::ALL)
                && !decoded.names.is_empty()
                && decoded.names != ast.names
            {
                note(
                    m.line,
                    "names differ",
                    format!("ours {:?} wat {:?}", ast.names, decoded.names),
                );
            }
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => {
                    compared += 1;
                    let (a, b) = (strip_customs(&ours), strip_customs(&theirs));
                    if a != b && decoded(&a).is_some_and(|x| Some(x) == decoded(&b)) {
                        same_ast += 1;
                    } else if a != b {
                        let at = a
                            .iter()
                            .zip(&b)
                            .position(|(x, y)| x != y)
                            .unwrap_or(a.len().min(b.len()));
                        note(
                            m.line,
                            "differ",
                            format!(
                                "at byte {at} (ours {} bytes, wat {}): ours {:02x?} wat {:02x?}",
                                a.len(),
                                b.len(),
                                &a[at.saturating_sub(4)..(at + 8).min(a.len())],
                                &b[at.saturating_sub(4)..(at + 8).min(b.len())],
                            ),
                        );
                    }
                }
                (Err(e), Ok(_)) => note(m.line, "only wat accepts", format!("ours: {e}")),
                (Ok(_), Err(e)) => {
                    let first = e.to_string();
                    let first = first.lines().next().unwrap_or("").to_string();
                    note(m.line, "only weft accepts", format!("wat: {first}"));
                }
                (Err(_), Err(_)) => {}
            }
        });
    }
    for (id, detail) in &found {
        println!("{id}: {detail}");
    }
    println!(
        "{scripts} scripts, {compared} modules compared: {same_ast} equal after decoding, \
         {} other differences",
        found.len()
    );
    assert_exact("differences from wat", &found, INTENDED);
    // Every script was read and its modules compared: a walk that found
    // nothing (no testsuite, a script kind skipped) cannot pass.
    assert!(scripts > 300, "only {scripts} scripts read");
    assert!(compared >= 14_500, "only {compared} modules compared");
}

/// The sections of a binary without the name section (other custom
/// sections kept, so `@custom` placement is compared too).
fn strip_name_section(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes[..8].to_vec();
    let mut i = 8;
    while i < bytes.len() {
        let id = bytes[i];
        let (mut size, mut shift, mut j) = (0usize, 0, i + 1);
        loop {
            let b = bytes[j];
            size |= usize::from(b & 0x7f) << shift;
            shift += 7;
            j += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let end = j + size;
        let is_name = id == 0 && bytes[j..end].starts_with(b"\x04name");
        if !is_name {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
    out
}

/// Syntax the testsuite exercises little or not at all.
const EXTRA: &[&str] = &[
    // Legacy exceptions (wat has no folded `try`; see modules.rs).
    r#"(module (tag $e (param i32)) (func (result i32)
        try (result i32) i32.const 1 throw $e catch $e catch_all i32.const 2 end
        block $o try nop delegate $o end))"#,
    // try_table with every catch kind, br_on_cast, ref.test.
    r#"(module (type $s (struct (field $a (mut i32)))) (tag $t)
        (func (param anyref) (result i32)
          (block $out (result exnref)
            (try_table (catch $t 0) (catch_ref $t $out) (catch_all 0) (catch_all_ref $out)
              (nop)) (unreachable))
          drop
          (drop (br_on_cast 0 anyref (ref $s) (local.get 0)))
          (drop (br_on_cast_fail 0 anyref (ref null $s) (local.get 0)))
          (ref.test (ref null $s) (local.get 0))
          (struct.set $s $a (ref.cast (ref $s) (local.get 0)) (i32.const 1))))"#,
    // Typed select, tables and memories of every shape.
    r#"(module
        (memory $m i64 1 2 (pagesize 1))
        (memory $n 1 10 shared)
        (table $t i64 2 funcref)
        (table $u (ref null func) (elem (ref.func $f) (item ref.func $f)))
        (data (memory $n) (i32.const 8) "ab" "\ff")
        (elem (table $t) (offset (i64.const 0)) func $f)
        (elem declare funcref (ref.func $f))
        (func $f (param i32 i32) (result i32)
          (select (result i32) (local.get 0) (local.get 1) (i32.const 1))
          (i32.atomic.rmw.add $n offset=4 (i32.const 0) (i32.const 1))
          drop))"#,
    // SIMD lanes and shuffles, memory64 offsets.
    r#"(module (memory i64 1)
        (func (param v128) (result v128)
          (v128.store64_lane offset=0x1_0000_0000 align=8 1 (i64.const 0) (local.get 0))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
            (v128.const f32x4 nan:0x200000 -inf 0x1p-149 1e38)
            (i16x8.replace_lane 7 (local.get 0) (i32.const -1)))))"#,
    // Custom sections by annotation.
    r#"(module (@custom "first" (before first) "1") (@custom "mid" (after func) "2")
        (@custom "end" "3") (@custom "before-code" (before code) "4") (func))"#,
];

#[test]
fn extra_syntax_agrees_with_wat() {
    for text in EXTRA {
        let ours = weft_wat::parse_module_with(text, Features::ALL)
            .unwrap_or_else(|e| panic!("{}", e.render("extra", text)))
            .encode();
        let theirs = wat::parse_str(text).unwrap();
        let (a, b) = (strip_name_section(&ours), strip_name_section(&theirs));
        if a != b {
            // Only the intentional element-segment encoding may differ.
            let at = a.iter().zip(&b).position(|(x, y)| x != y);
            assert!(
                decoded(&a).is_some() && decoded(&a) == decoded(&b),
                "{text}\nfirst difference at byte {at:?}"
            );
        }
    }
}

/// Branch hint annotations give wat's `metadata.code.branch_hint` section,
/// byte for byte and in the same place (right before the code section,
/// after the custom sections placed there).
#[test]
fn branch_hints_agree_with_wat() {
    let texts = [
        r#"(module
          (import "m" "f" (func $imported))
          (@custom "before-code" (before code) "4")
          (func $a (param i32) (result i32)
            (local i64 i64)
            (@metadata.code.branch_hint "\01")
            (if (result i32) (local.get 0)
              (then
                (block $b
                  (@metadata.code.branch_hint "\00")
                  (br_if $b (local.get 0))
                  local.get 0
                  (@metadata.code.branch_hint "\01") br_if $b)
                (i32.const 1))
              (else (i32.const 2))))
          (func $b)
          (func $c (param i32)
            (i64.const 0x7fff_ffff_ffff) drop
            local.get 0
            (@metadata.code.branch_hint "\00") if end))"#,
        r#"(module (func (param i32)
          (block (@metadata.code.branch_hint "\01") (br_if 0 (i32.eqz (local.get 0))))))"#,
    ];
    for text in texts {
        let m = weft_wat::parse_module(text).unwrap_or_else(|e| panic!("{}", e.render("t", text)));
        assert!(!m.branch_hints.is_empty(), "{text}");
        let ours = strip_name_section(&m.encode());
        let theirs = strip_name_section(&wat::parse_str(text).unwrap());
        assert!(
            ours.windows(25).any(|w| w == b"metadata.code.branch_hint"),
            "{text}"
        );
        assert_eq!(ours, theirs, "{text}");
    }
}

/// `(@name ...)` on functions, parameters and locals gives the name section
/// wat gives.
#[test]
fn name_annotations_agree_with_wat() {
    let text = r#"(module $m (@name "M")
        (func $f (@name "F") (param $x (@name "X") i32) (param (@name "Y") i64)
          (local $l (@name "L") i32) (local (@name "") f32) (local $k f64)
          (drop (local.get $x)))
        (global $g (@name "G") i32 (i32.const 0)))"#;
    let ours = weft_wat::parse_module_with(text, Features::ALL).unwrap();
    let theirs = weft_parser::parse_with(&wat::parse_str(text).unwrap(), Features::ALL).unwrap();
    assert_eq!(ours.names, theirs.names);
    assert_eq!(ours.names.locals[0].1.len(), 5);
}
