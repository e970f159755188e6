//! The legacy exception instructions (`try`, `catch`, `catch_all`,
//! `delegate`, `rethrow`), which the official testsuite no longer covers:
//! hand-written modules, encoded by the `wast` crate, whose verdict must
//! match both the expectation written here and wasmparser's with
//! `legacy_exceptions` on.

mod common;

use common::{Verdict, ours, wasmparser_valid};
use weft_ast::Features;

fn features() -> Features {
    Features::default().with(Features::LEGACY_EXCEPTIONS)
}

fn encode(text: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(text).unwrap();
    let mut m: wast::Wat = wast::parser::parse(&buf).unwrap();
    m.encode().unwrap()
}

fn check(text: &str, valid: bool) {
    let bytes = encode(text);
    let mine = ours(&bytes, features());
    let theirs = wasmparser_valid(&bytes, features());
    assert_eq!(mine == Verdict::Valid, valid, "{text}: we say {mine:?}");
    assert_eq!(theirs.is_ok(), valid, "{text}: wasmparser says {theirs:?}");
}

const TAGS: &str = "(tag $e (param i32)) (tag $e0)";

#[test]
fn valid_try_forms() {
    for body in [
        "try catch $e drop end",
        "try catch $e drop catch_all end",
        "try catch_all end",
        "try (result i32) i32.const 1 catch $e catch_all i32.const 2 end drop",
        "try throw $e0 catch $e0 rethrow 0 end",
        "try catch_all block rethrow 1 end end",
        "try try throw $e0 delegate 0 catch_all end",
        "block try delegate 1 end",
        "try delegate 0",
        "i32.const 7 try (param i32) drop catch_all end",
    ] {
        check(&format!("(module {TAGS} (func {body}))"), true);
    }
}

#[test]
fn invalid_try_forms() {
    for body in [
        // rethrow must name a catch or catch_all.
        "try rethrow 0 catch_all end",
        "block rethrow 0 end",
        // delegate's label counts from outside the try.
        "try delegate 1",
        // Handlers must leave the block's results.
        "try (result i32) i32.const 1 catch $e0 end drop",
        "try catch $e end",
        // catch_all is the last handler.
        "try catch_all catch $e0 end",
        // Unknown tag.
        "try catch 9 end",
    ] {
        check(&format!("(module {TAGS} (func {body}))"), false);
    }
}

#[test]
fn off_by_default() {
    let bytes = encode(&format!("(module {TAGS} (func try catch_all end))"));
    assert_ne!(ours(&bytes, Features::default()), Verdict::Valid);
}
