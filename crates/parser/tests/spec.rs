//! Every `(module binary ...)` of the official testsuite: well-formed ones
//! decode and survive an encode/decode round trip to an equal AST;
//! `assert_malformed` ones are rejected with the expected phrase.

mod common;

use common::{all_binary_modules, phrase_matches};
use weft_parser::parse_with;

#[test]
fn testsuite_binary_modules() {
    let modules = all_binary_modules();
    let (mut decoded, mut round_tripped, mut rejected, mut unsupported) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for m in &modules {
        let result = parse_with(&m.bytes, m.features);
        match (&m.malformed, result) {
            (None, Ok(module)) => {
                decoded += 1;
                let bytes = module.encode();
                match parse_with(&bytes, m.features) {
                    Ok(again) if again == module => round_tripped += 1,
                    Ok(_) => failures.push(format!("{}: round trip changed the AST", m.origin)),
                    Err(e) => failures.push(format!("{}: re-encoded module fails: {e}", m.origin)),
                }
            }
            (None, Err(e)) if m.unsupported => {
                unsupported += 1;
                let _ = e;
            }
            (None, Err(e)) => failures.push(format!("{}: rejected: {e}", m.origin)),
            (Some(phrase), Err(e)) if phrase_matches(&e.to_string(), phrase) => rejected += 1,
            (Some(phrase), Err(e)) if m.unsupported => {
                unsupported += 1;
                let _ = (phrase, e);
            }
            (Some(phrase), Err(e)) => {
                failures.push(format!("{}: expected `{phrase}`, got `{e}`", m.origin))
            }
            (Some(phrase), Ok(_)) => {
                failures.push(format!("{}: accepted, expected `{phrase}`", m.origin))
            }
        }
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!(
        "{} binary modules: {decoded} decoded, {round_tripped} round-tripped, {rejected} rejected as expected (older phrases as the spec runner matches them), {unsupported} use unsupported proposals, {} failed",
        modules.len(),
        failures.len()
    );
    assert!(modules.len() > 1000, "scanner found only {}", modules.len());
    assert!(failures.is_empty(), "{} failures", failures.len());
}

/// Feeds a module to the streaming parser `step` bytes at a time.
fn stream(
    bytes: &[u8],
    step: usize,
    features: weft_parser::Features,
) -> Result<weft_ast::Module, weft_parser::Error> {
    use weft_parser::{Event, StreamParser};
    let mut parser = StreamParser::new(features);
    let mut chunks = bytes.chunks(step);
    loop {
        match parser.next_event()? {
            Event::NeedMore { .. } => match chunks.next() {
                Some(chunk) => parser.feed(chunk),
                None => parser.end(),
            },
            Event::End(module) => return Ok(*module),
            Event::Header | Event::Section { .. } => {}
        }
    }
}

/// The streaming parser accepts exactly what the whole-input parser
/// accepts, with an equal module, whatever the chunk size.
#[test]
fn stream_parser_agrees_with_parse() {
    let mut compared = 0;
    for (i, m) in all_binary_modules().iter().enumerate() {
        let whole = parse_with(&m.bytes, m.features);
        let step = 1 + i % 7;
        let streamed = stream(&m.bytes, step, m.features);
        match (&whole, &streamed) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", m.origin),
            (Err(_), Err(_)) => {}
            _ => panic!(
                "{}: parse {:?} but stream {:?}",
                m.origin,
                whole.as_ref().err(),
                streamed.as_ref().err()
            ),
        }
        compared += 1;
    }
    println!("{compared} binary modules streamed in chunks of 1 to 7 bytes");
    assert!(compared > 1000, "only {compared} binary modules streamed");
}
