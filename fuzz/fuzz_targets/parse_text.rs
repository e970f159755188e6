//! Any bytes into the text parser: no panic, hang or unbounded allocation;
//! whatever parses encodes to bytes that weft-parser decodes and encodes
//! back to the same bytes.
//!
//! The first byte is a knob. Bit 0 picks the input mode: the rest of the
//! bytes as text (lossy UTF-8), or "token soup", each byte picking a token
//! of a small vocabulary (parentheses, keywords, every instruction
//! mnemonic of the table, ids, numbers, strings) so that the fuzzer
//! reaches deep into the grammar instead of stopping at the lexer. Bit 1
//! picks the proposals (default or all); bit 2 parses a `.wast` script
//! instead of a module.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_ast::Features;

/// Every mnemonic of the instruction table.
macro_rules! mnemonics {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        &[ $( $( $text, )* )* ]
    };
}
const MNEMONICS: &[&str] = weft_ast::for_each_instr!(mnemonics);

/// Everything but instructions: module syntax, types, immediates' forms.
// Kept as a dense table: one token per line would hide the vocabulary.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "(", ")", "(", ")", "(", ")", "module", "func", "param", "result", "local", "type",
    "import", "export", "table", "memory", "global", "elem", "data", "start", "mut", "rec",
    "sub", "final", "struct", "array", "field", "tag", "item", "declare", "offset", "then",
    "i32", "i64", "f32", "f64", "v128", "i8", "i16", "funcref", "externref", "anyref",
    "eqref", "i31ref", "structref", "arrayref", "exnref", "nullref", "ref", "null", "extern",
    "any", "eq", "none", "noextern", "nofunc", "exn", "shared", "i64x2", "i32x4", "f32x4",
    "offset=8", "align=4", "align=3", "$a", "$b", "$", "$\"q\"", "0", "1", "-1", "0x7f",
    "4294967296", "1.5", "-0x1p-149", "nan", "nan:0x1", "inf", "+0", "1_000", "\"\"",
    "\"a\\00\"", "\"\\ff\"", "\"\\u{1F600}\"", "(@custom \"c\" \"x\")", "(@name \"n\")",
    "(@x)", ";; c\n", "(; c ;)", "binary", "quote", "assert_invalid", "assert_malformed",
    "assert_return", "invoke", "get", "register", "definition", "instance",
];

/// The bytes as a sequence of tokens separated by spaces.
fn token_soup(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 8);
    let mut iter = bytes.iter();
    while let Some(&b) = iter.next() {
        // The high bit switches to an instruction, taking one more byte
        // so that all the table's mnemonics are reachable.
        let token = if b & 0x80 == 0 {
            WORDS[usize::from(b) % WORDS.len()]
        } else {
            let lo = iter.next().copied().unwrap_or(0);
            let i = (usize::from(b & 0x7f) << 8) | usize::from(lo);
            MNEMONICS[i % MNEMONICS.len()]
        };
        text.push_str(token);
        text.push(' ');
    }
    text
}

fuzz_target!(|data: &[u8]| {
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let text = if knobs & 1 == 0 {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        token_soup(bytes)
    };
    let features = if knobs & 2 == 0 {
        Features::default()
    } else {
        Features::ALL
    };
    if knobs & 4 != 0 {
        // Scripts: only no panic; their modules are checked below when
        // the same text is tried as a module.
        let _ = weft_wat::parse_script_with(&text, features);
        return;
    }
    if let Ok(module) = weft_wat::parse_module_with(&text, features) {
        let bytes = module.encode();
        let again = weft_parser::parse_with(&bytes, features)
            .unwrap_or_else(|e| panic!("encoded module does not decode: {e}\n{text}"));
        // Compared as bytes: a custom section's place is not canonical in
        // the AST (after the data section or first, in a module with no
        // sections, are the same bytes), so equal ASTs would be too strict.
        assert!(
            again.encode() == bytes,
            "binary round trip changed the module\n{text}\nwat: {module:?}\nbinary: {again:?}"
        );
    }
});
