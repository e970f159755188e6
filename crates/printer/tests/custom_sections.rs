//! Custom sections in text: `(@producers ...)`, `(@dylink.0 ...)` and
//! `(@custom ...)` printed from binaries and parsed back to the same bytes,
//! by weft's printer and by wasm-tools' (`wasmprinter`, the oracle); the
//! annotations' text against `wat`'s encoding; malformed annotations as
//! line:col errors.
//!
//! The binaries in `tests/data` are clang/wasm-ld output (see its
//! `SOURCE.md`); the rest are built here byte by byte.

use weft_ast::custom::{Dylink0, Dylink0Subsection, Producers};
use weft_ast::{CustomKind, Features, Module};

const PRODUCERS_WASM: &[u8] = include_bytes!("data/producers.wasm");
const DYLINK_WASM: &[u8] = include_bytes!("data/dylink.so.wasm");

fn decode(bytes: &[u8]) -> Module {
    weft_parser::parse_with(bytes, Features::ALL).expect("test binary decodes")
}

fn print(m: &Module) -> String {
    weft_printer::to_string(m)
}

fn parse_text(text: &str) -> Module {
    weft_wat::parse_module_with(text, Features::ALL)
        .unwrap_or_else(|e| panic!("{}\n{text}", e.render("printed", text)))
}

/// The custom sections' names, in binary order.
fn custom_names(bytes: &[u8]) -> Vec<String> {
    decode(bytes)
        .customs
        .iter()
        .map(|c| c.kind.name().to_string())
        .collect()
}

/// A module's bytes with custom sections appended or prepended:
/// `(name, payload, first)`.
fn with_customs(base: &[u8], customs: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let section = |name: &str, payload: &[u8]| {
        let mut body = Vec::new();
        body.push(name.len() as u8);
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(payload);
        let mut s = vec![0u8];
        let mut len = body.len();
        loop {
            let byte = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                s.push(byte);
                break;
            }
            s.push(byte | 0x80);
        }
        s.extend_from_slice(&body);
        s
    };
    let mut out = base[..8].to_vec();
    for (name, payload, _) in customs.iter().filter(|c| c.2) {
        out.extend(section(name, payload));
    }
    out.extend_from_slice(&base[8..]);
    for (name, payload, _) in customs.iter().filter(|c| !c.2) {
        out.extend(section(name, payload));
    }
    out
}

/// A small module with a function, a memory and a data segment.
fn base_module() -> Vec<u8> {
    weft_wat::wat2wasm(r#"(module (memory 1) (func $f (export "f")) (data (i32.const 0) "x"))"#)
        .unwrap()
}

/// The custom sections of a binary as they stand, in order.
fn raw_customs(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
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
        if id == 0 {
            let n = usize::from(bytes[j]);
            let name = String::from_utf8(bytes[j + 1..j + 1 + n].to_vec()).unwrap();
            out.push((name, bytes[j + 1 + n..j + size].to_vec()));
        }
        i = j + size;
    }
    out
}

/// Binary -> weft text -> binary gives the binary as weft writes it (the
/// linker's padded LEB128s in code become minimal: text cannot carry
/// them), with every custom section byte for byte where it stood; the
/// text uses the annotations expected.
fn assert_round_trip(bytes: &[u8], expect: &[&str]) -> String {
    let m = decode(bytes);
    let canonical = m.encode();
    assert_eq!(raw_customs(&canonical), raw_customs(bytes));
    let text = print(&m);
    for e in expect {
        assert!(text.contains(e), "no `{e}` in\n{text}");
    }
    let back = parse_text(&text).encode();
    assert_eq!(
        back, canonical,
        "weft's text does not give the bytes back:\n{text}"
    );
    text
}

#[test]
fn clang_binaries_round_trip() {
    assert_eq!(custom_names(PRODUCERS_WASM), ["name", "producers"]);
    let text = assert_round_trip(
        PRODUCERS_WASM,
        &["(@producers", "(processed-by \"Debian clang\" \"14.0.6"],
    );
    assert!(!text.contains("(@custom"), "{text}");

    assert_eq!(
        custom_names(DYLINK_WASM),
        ["dylink.0", "name", "producers", "target_features"]
    );
    let text = assert_round_trip(
        DYLINK_WASM,
        &[
            "(@dylink.0",
            "(mem-info)",
            "(needed \"libdep.so\")",
            "(@producers",
            "(@custom \"target_features\" (after code)",
        ],
    );
    // dylink.0 is printed before every field, producers after them.
    let dylink = text.find("(@dylink.0").unwrap();
    let producers = text.find("(@producers").unwrap();
    assert!(dylink < text.find("(type").unwrap() && producers > text.find("(func").unwrap());
}

/// wasm-tools' text of the same binaries, read by weft, gives the same
/// bytes as weft's own text.
#[test]
fn wasmprinter_text_parses_to_the_same_bytes() {
    let extra = with_customs(
        &base_module(),
        &[
            ("dylink.0", &full_dylink().encode(), true),
            ("producers", &full_producers().encode(), false),
            ("other", b"\x00\x01", false),
        ],
    );
    for bytes in [PRODUCERS_WASM, DYLINK_WASM, &extra[..]] {
        let theirs = wasmprinter::print_bytes(bytes).unwrap();
        assert!(theirs.contains("(@producers"), "{theirs}");
        let ours = print(&decode(bytes));
        let from_theirs = parse_text(&theirs).encode();
        let from_ours = parse_text(&ours).encode();
        assert_eq!(
            from_theirs, from_ours,
            "wasm-tools' text:\n{theirs}\nweft's:\n{ours}"
        );
        assert_eq!(from_ours, decode(bytes).encode());
        assert_eq!(raw_customs(&from_ours), raw_customs(bytes));
    }
}

fn full_producers() -> Producers {
    let mut p = Producers::default();
    p.push("language", "C11".into(), String::new());
    p.push("processed-by", "clang".into(), "14.0.6 \"quoted\"".into());
    p.push("language", "Rust".into(), "1.80.0".into());
    p.push("sdk", "wasi-sdk".into(), "22\u{e9}".into());
    p
}

fn full_dylink() -> Dylink0 {
    let mut d = Dylink0 {
        subsections: vec![
            Dylink0Subsection::MemInfo {
                memory_size: 1024,
                memory_align: 4,
                table_size: 3,
                table_align: 0,
            },
            Dylink0Subsection::Needed(vec!["libc.so".into(), "libm.so".into()]),
        ],
    };
    // Every named flag, and a bit without a name.
    d.push_export_info("f".into(), 0b11_1111_0111 | 0x10_0000);
    d.push_export_info("g".into(), 0);
    d.push_import_info("env".into(), "h".into(), 1);
    d.subsections
        .push(Dylink0Subsection::RuntimePath(vec!["$ORIGIN/lib".into()]));
    d.subsections
        .push(Dylink0Subsection::TargetArch("wasm32".into()));
    d.subsections.push(Dylink0Subsection::Needed(vec![]));
    d
}

#[test]
fn every_form_round_trips() {
    let bytes = with_customs(
        &base_module(),
        &[
            ("first", b"1", true),
            ("dylink.0", &full_dylink().encode(), true),
            ("producers", &full_producers().encode(), false),
            ("last", b"\xff\"", false),
        ],
    );
    assert_eq!(decode(&bytes).encode(), bytes);
    let text = assert_round_trip(
        &bytes,
        &[
            "(@custom \"first\" (before first) \"1\")",
            "(mem-info (memory 1024 4) (table 3 0))",
            "(needed \"libc.so\" \"libm.so\")",
            "(export-info \"f\" binding-weak binding-local visibility-hidden undefined \
             exported explicit-name no-strip tls absolute 0x100000)",
            "(export-info \"g\")",
            "(import-info \"env\" \"h\" binding-weak)",
            "(runtime-path \"$ORIGIN/lib\")",
            "(target-arch \"wasm32\")",
            "(needed)",
            "(language \"C11\" \"\")",
            "(language \"Rust\" \"1.80.0\")",
            "(processed-by \"clang\" \"14.0.6 \\\"quoted\\\"\")",
            "(sdk \"wasi-sdk\"",
            "(@custom \"last\" (after data) \"\\ff\\\"\")",
        ],
    );
    // Text -> binary -> text gives the same text.
    assert_eq!(print(&decode(&parse_text(&text).encode())), text);
}

/// Sections the annotations cannot carry exactly stay `(@custom ...)`
/// and keep their bytes: a producers field the text has no keyword for,
/// a repeated field, an over-long LEB128, two export-info subsections in
/// a row, a producers section that is not last, a dylink.0 that is not
/// first.
#[test]
fn sections_the_annotations_cannot_carry_stay_raw() {
    let base = base_module();
    let two_exports = b"\x03\x04\x01\x01f\x00\x03\x04\x01\x01g\x00";
    let cases: Vec<Vec<u8>> = vec![
        with_customs(&base, &[("producers", b"\x01\x04tool\x01\x01a\x00", false)]),
        with_customs(
            &base,
            &[(
                "producers",
                b"\x02\x03sdk\x01\x01a\x00\x03sdk\x01\x01b\x00",
                false,
            )],
        ),
        with_customs(
            &base,
            &[("producers", b"\x81\x00\x03sdk\x01\x01a\x00", false)],
        ),
        with_customs(&base, &[("dylink.0", two_exports, true)]),
        with_customs(&base, &[("producers", b"\x01\x03sdk\x01\x01a\x01", false)]),
        with_customs(&base, &[("producers", b"\x01\x03sdk\x01\x01a\x00", true)]),
        with_customs(&base, &[("dylink.0", b"\x02\x01\x00", false)]),
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let text = print(&decode(bytes));
        if i < 5 {
            assert!(
                !text.contains("(@producers") && !text.contains("(@dylink.0"),
                "{text}"
            );
        }
        assert!(text.contains("(@custom"), "case {i}:\n{text}");
        assert_eq!(&decode(bytes).encode(), bytes);
        assert_eq!(&parse_text(&text).encode(), bytes, "case {i}:\n{text}");
    }
}

/// The annotations give `wat`'s section contents (the field order here is
/// the one wasm-tools writes; wat puts the name section last, weft before
/// the trailing sections, so names are left out of the comparison).
#[test]
fn annotations_agree_with_wat() {
    let texts = [
        r#"(module (@producers (language "C" "11") (language "Rust" "") (sdk "s" "1")
             (processed-by "clang" "14")) (func))"#,
        r#"(module (@dylink.0 (mem-info (memory 10 2)) (needed "a.so" "b.so")
             (export-info "f" exported 0x1000) (export-info "g")
             (import-info "m" "f" binding-weak undefined) (runtime-path "p")
             (target-arch "wasm32") (mem-info (table 1 1)))
           (memory 1))"#,
        r#"(module (@dylink.0) (@producers))"#,
    ];
    for text in texts {
        let ours = parse_text(text);
        let theirs = decode(&wat::parse_str(text).unwrap());
        let raw = |m: &Module| -> Vec<(String, Vec<u8>)> {
            m.customs
                .iter()
                .filter_map(|c| match &c.kind {
                    CustomKind::Raw { name, data } => Some((name.clone(), data.clone())),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(raw(&ours), raw(&theirs), "{text}");
        assert!(!raw(&ours).is_empty());
    }
}

/// Malformed annotations: a line:col error saying what is wrong.
#[test]
fn malformed_annotations_are_errors() {
    let cases = [
        (
            "(module (@producers (tool \"a\" \"b\")))",
            "1:21: @producers annotation: expected",
        ),
        (
            "(module (@producers (language \"a\")))",
            "1:34: @producers annotation: string expected",
        ),
        (
            "(module (@producers (language \"a\" \"b\" \"c\")))",
            "@producers annotation: unexpected token",
        ),
        (
            "(module (@producers language))",
            "1:21: @producers annotation: unexpected token",
        ),
        (
            "(module (@producers (sdk \"\\ff\" \"b\")))",
            "1:26: malformed UTF-8 encoding",
        ),
        (
            "(module\n  (@dylink.0 (mem-info (memory 1))))",
            "2:33: unexpected token",
        ),
        (
            "(module (@dylink.0 (mem-info (memory 1 0x1_0000_0000))))",
            "i32 constant out of range",
        ),
        (
            "(module (@dylink.0 (bogus)))",
            "1:20: @dylink.0 annotation: unknown subsection",
        ),
        (
            "(module (@dylink.0 (export-info \"f\" weak)))",
            "1:37: @dylink.0 annotation: unknown symbol flag",
        ),
        (
            "(module (@dylink.0 (import-info \"m\")))",
            "@dylink.0 annotation: string expected",
        ),
        (
            "(module (@dylink.0 (target-arch)))",
            "@dylink.0 annotation: string expected",
        ),
        (
            "(module (@dylink.0 (needed 1)))",
            "@dylink.0 annotation: string expected",
        ),
        (
            "(module (func (@producers)))",
            "1:15: misplaced @producers annotation",
        ),
        (
            "(module (func (@dylink.0)))",
            "1:15: misplaced @dylink.0 annotation",
        ),
        ("(module (@producers (sdk \"a\" \"b\")", "unexpected end"),
    ];
    for (text, want) in cases {
        let e = weft_wat::parse_module(text).expect_err(text);
        let got = e.to_string();
        assert!(got.contains(want), "{text}: {got}, wanted {want}");
        assert!(
            got.split(':').take(2).all(|n| n.parse::<u32>().is_ok()),
            "{text}: no line:col in {got}"
        );
    }
}

/// Every subsection of the extended name section, with names no
/// identifier spells (repeats, the empty name), reads back unchanged from
/// weft's text and from wasm-tools'.
#[test]
fn name_section_round_trips() {
    let mut m = parse_text(
        r#"(module
          (type $s (struct (field $x i32) (field $y i64)))
          (import "m" "g" (func $imp (param i32)))
          (table $t 1 funcref) (memory $mem 1) (global $g i32 (i32.const 0)) (tag $e)
          (func $f (param $p i32) (local $l i64) (local f32)
            (block $b (loop $lp (br $b))))
          (func $f2)
          (elem $el (i32.const 0) func $f)
          (data $d (i32.const 0) "x"))"#,
    );
    let s = |v: &str| v.to_string();
    m.names = weft_ast::Names {
        module: Some(s("")),
        funcs: vec![(0, s("f")), (1, s("f")), (2, s(""))],
        locals: vec![
            (0, vec![(0, s("only"))]),
            (1, vec![(0, s("x")), (1, s("x")), (2, s(""))]),
        ],
        labels: vec![(1, vec![(0, s("b")), (1, s("b"))])],
        types: vec![(0, s("s"))],
        tables: vec![(0, s(""))],
        memories: vec![(0, s("m"))],
        globals: vec![(0, s("g"))],
        elems: vec![(0, s("e"))],
        datas: vec![(0, s("e"))],
        fields: vec![(0, vec![(0, s("a")), (1, s("a"))])],
        tags: vec![(0, s("a \"quoted\" name"))],
    };
    let bytes = m.encode();
    assert_eq!(decode(&bytes).names, m.names);
    let text = assert_round_trip(
        &bytes,
        &[
            "(module (@name \"\")",
            "(func $f_1 (@name \"f\")",
            "(func (@name \"\")",
            "(local $x_1 (@name \"x\") i64)",
            "(local (@name \"\") f32)",
            "(field $a_1 (@name \"a\") i64)",
            "(table (@name \"\")",
        ],
    );
    assert_eq!(parse_text(&text).names, m.names);
    // wasm-tools prints no `(@name ...)` for a struct field: the renamed
    // field keeps its synthetic identifier as its name.
    let theirs = wasmprinter::print_bytes(&bytes).unwrap();
    let mut expected = m.names.clone();
    expected.fields[0].1[1].1 = "#field1 a".into();
    assert_eq!(
        parse_text(&theirs).names,
        expected,
        "wasm-tools' text:\n{theirs}"
    );
}

/// Every prefix of a text with every annotation form, and the text with
/// each token replaced by `(`, `)`, a string or a number, parses or fails
/// with a line:col error: never a panic.
#[test]
fn cut_and_mutated_annotations_never_panic() {
    let bytes = with_customs(
        &base_module(),
        &[
            ("dylink.0", &full_dylink().encode(), true),
            ("producers", &full_producers().encode(), false),
        ],
    );
    let text = print(&decode(&bytes));
    let check = |t: &str| {
        if let Err(e) = weft_wat::parse_module(t) {
            let got = e.to_string();
            assert!(
                got.split(':').take(2).all(|n| n.parse::<u32>().is_ok()),
                "{t}: no line:col in {got}"
            );
        }
    };
    let mut cuts = 0;
    for (at, _) in text.char_indices() {
        check(&text[..at]);
        cuts += 1;
    }
    let words: Vec<&str> = text.split(' ').collect();
    let mut mutants = 0;
    for i in 0..words.len() {
        for with in [
            "(",
            ")",
            "\"s\"",
            "7",
            "0xffffffffff",
            "(@producers",
            "(@dylink.0",
        ] {
            let mut w = words.clone();
            w[i] = with;
            check(&w.join(" "));
            mutants += 1;
        }
    }
    assert!(
        cuts > 500 && mutants > 300,
        "{cuts} cuts, {mutants} mutants"
    );
}
