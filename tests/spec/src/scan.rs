//! The modules of a script, pulled out of its S-expressions: the binary
//! ones with what each is expected to do, and the text ones the script
//! expects to be valid. The binary checks use the first; the parser's tests
//! use both, to feed every testsuite module to other tools as well.

use crate::sexpr::SExpr;

/// One `(module binary ...)` of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryModule {
    /// Line of the command it belongs to.
    pub line: u32,
    /// The module's bytes.
    pub bytes: Vec<u8>,
    /// The expected phrase, when the command is an `assert_malformed`;
    /// `None` for a module the script expects to decode.
    pub malformed: Option<String>,
}

/// Every binary module of a script's commands.
pub fn binary_modules(commands: &[SExpr]) -> Vec<BinaryModule> {
    let mut found = Vec::new();
    for command in commands {
        let line = command.line();
        match command.head() {
            Some("module") => {
                if let Some(bytes) = binary_of(command) {
                    found.push(BinaryModule {
                        line,
                        bytes,
                        malformed: None,
                    });
                }
            }
            Some("assert_malformed") => {
                let items = command.items();
                if let (Some(module), Some(SExpr::Str(phrase))) = (items.get(1), items.get(2))
                    && let Some(bytes) = binary_of(module)
                {
                    let phrase = String::from_utf8_lossy(phrase).into_owned();
                    found.push(BinaryModule {
                        line,
                        bytes,
                        malformed: Some(phrase),
                    });
                }
            }
            Some(_) => {
                // assert_invalid, assert_unlinkable, assert_trap, ...: a
                // binary module there is well-formed.
                for item in command.items() {
                    if item.head() == Some("module")
                        && let Some(bytes) = binary_of(item)
                    {
                        found.push(BinaryModule {
                            line,
                            bytes,
                            malformed: None,
                        });
                    }
                }
            }
            None => {}
        }
    }
    found
}

/// The bytes of a `(module $id? definition? binary "..."*)` form.
fn binary_of(module: &SExpr) -> Option<Vec<u8>> {
    let items = module.items();
    let at = items
        .iter()
        .position(|i| matches!(i, SExpr::Atom(a) if a == "binary"))?;
    let mut bytes = Vec::new();
    for item in &items[at + 1..] {
        if let SExpr::Str(s) = item {
            bytes.extend_from_slice(s);
        }
    }
    Some(bytes)
}

/// The text modules a script expects to be valid: its top-level
/// `(module ...)` forms and those of `assert_unlinkable`, `assert_trap` and
/// `assert_uninstantiable`, written out in full (not `binary`, `quote`,
/// `definition` or `instance` forms). Each comes with its line and its
/// source, sliced out of `text`, the script the commands were read from.
pub fn text_modules<'t>(text: &'t str, commands: &[SExpr]) -> Vec<(u32, &'t str)> {
    let mut found = Vec::new();
    for command in commands {
        let module = match command.head() {
            Some("module") => command,
            Some("assert_unlinkable" | "assert_trap" | "assert_uninstantiable") => {
                match command.items().get(1) {
                    Some(m) if m.head() == Some("module") => m,
                    _ => continue,
                }
            }
            _ => continue,
        };
        let textual = module.items()[1..].iter().all(|item| {
            !matches!(item, SExpr::Atom(a)
                if matches!(a.as_str(), "binary" | "quote" | "definition" | "instance"))
        });
        if let Some(source) = text.get(module.span())
            && textual
        {
            found.push((module.line(), source));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sexpr::read;

    const SCRIPT: &str = r#"
(module $m (func))
(module binary "\00asm" "\01\00\00\00")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_trap (module (func unreachable) (start 0)) "unreachable")
(assert_invalid (module binary "\00asm\01\00\00\00") "type mismatch")
(module quote "(func)")
(module definition $d (func))
"#;

    #[test]
    fn finds_binary_modules_and_their_expectations() {
        let found = binary_modules(&read(SCRIPT).unwrap());
        let summary: Vec<_> = found
            .iter()
            .map(|m| (m.line, m.bytes.len(), m.malformed.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [(3, 8, None), (4, 4, Some("unexpected end")), (6, 8, None)]
        );
    }

    #[test]
    fn finds_valid_text_modules_with_their_source() {
        let found = text_modules(SCRIPT, &read(SCRIPT).unwrap());
        assert_eq!(
            found,
            [
                (2, "(module $m (func))"),
                (5, "(module (func unreachable) (start 0))")
            ]
        );
    }
}
