//! No text, however broken, makes the parser panic or hang: every module
//! of the testsuite, cut short and mutated in many deterministic ways.

mod common;

use common::wast_files;
use weft_ast::Features;
use weft_wat::{CommandKind, ModuleSource, parse_module_with, parse_script};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that matter to the grammar, for insertions.
const PIECES: &[&str] = &[
    "(",
    ")",
    "$",
    "\"",
    ";;",
    "(;",
    ";)",
    "(@x",
    "0x",
    "-",
    "nan:0x",
    "1e",
    "_",
    " ",
    "\\",
    "block",
    "end",
    "else",
    "then",
    "(then",
    "(type",
    "(param",
    "(result i32)",
    "offset=",
    "align=",
    "i32.const",
    "\u{e9}",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(s.len() + 1);
        match rng.below(4) {
            0 => s.truncate(at),
            1 if at < s.len() => {
                s.remove(at);
            }
            _ => {
                let piece = PIECES[rng.below(PIECES.len())];
                for (i, c) in piece.chars().enumerate() {
                    s.insert(at + i, c);
                }
            }
        }
    }
    s.into_iter().collect()
}

/// Mutants per module: 4, or `WEFT_WAT_MUTANTS` for a longer soak.
fn mutants() -> usize {
    std::env::var("WEFT_WAT_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

#[test]
fn mutated_testsuite_modules_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per_module = mutants();
    let mut runs = 0;
    for (_, text) in wast_files() {
        let Ok(script) = parse_script(text) else {
            continue;
        };
        for c in &script.commands {
            let CommandKind::Module(m) = &c.kind else {
                continue;
            };
            if !matches!(m.source, ModuleSource::Text(_)) || m.span.len() > 20_000 {
                continue;
            }
            let source = &text[m.span.clone()];
            for _ in 0..per_module {
                let broken = mutate(&mut rng, source);
                // Either result is fine; a panic fails the test.
                let _ = parse_module_with(&broken, Features::ALL);
                runs += 1;
            }
        }
        // Whole scripts, mutated, too.
        for _ in 0..2 {
            let broken = mutate(&mut rng, text);
            let _ = parse_script(&broken);
            runs += 1;
        }
    }
    assert!(runs > 10_000, "only {runs} runs");
}

/// Tokens of megabytes (a data segment's string, an identifier, a comment,
/// an annotation) are read without deep recursion, on a small stack.
#[test]
fn huge_tokens_do_not_overflow_the_stack() {
    const N: usize = 4 << 20;
    let cases: Vec<(String, bool)> = vec![
        (
            format!(
                "(memory 1) (data (i32.const 0) \"{}\")",
                "a\\00".repeat(N / 3)
            ),
            true,
        ),
        (format!("(func ${})", "x".repeat(N)), true),
        // Not an id (strings inside), but one atom all the same.
        (format!("(func ${})", "x\"y\"".repeat(N / 4)), false),
        (format!("(module) ;; {}", "z".repeat(N)), true),
        (format!("(module (;{};))", " ".repeat(N)), true),
        (format!("(module (@a {}))", "\"s\" ".repeat(N / 4)), true),
        (format!("(module (@{}))", "b".repeat(N)), true),
        (format!("(module (@\"{}\"))", "c".repeat(N)), true),
        (format!("(module {})", "1".repeat(N)), false),
        (format!("(module \"{}", "d".repeat(N)), false),
    ];
    // A thread of its own with a small stack: recursion per character
    // would need far more than this.
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            for (text, ok) in &cases {
                let r = parse_module_with(text, Features::default());
                // Messages are bounded, so they can be shown whole.
                let shown = r.as_ref().err().map(|e| e.message().to_string());
                assert!(shown.as_ref().is_none_or(|m| m.len() < 300));
                assert_eq!(r.is_ok(), *ok, "{:?}: {shown:?}", &text[..40]);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
