//! Any bytes into the binary parser: no panic, hang or unbounded
//! allocation; whatever decodes encodes to bytes that decode to the same
//! module; and the streaming parser agrees with the whole-input one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use weft_parser::{Event, Features, StreamParser, parse_with};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the proposals and the streaming chunk size, so
    // that both the strict and the permissive decoders are explored.
    let Some((&knobs, bytes)) = data.split_first() else {
        return;
    };
    let features = match knobs & 3 {
        0 => Features::default(),
        1 => Features::ALL,
        2 => Features::WASM2,
        _ => Features::WASM1,
    };
    let whole = parse_with(bytes, features);
    if let Ok(module) = &whole {
        let again = parse_with(&module.encode(), features).expect("re-encoded module decodes");
        assert_eq!(&again, module, "round trip changed the module");
    }

    let step = 1 + usize::from(knobs >> 2);
    let mut parser = StreamParser::new(features);
    let mut chunks = bytes.chunks(step);
    let streamed = loop {
        match parser.next_event() {
            Ok(Event::NeedMore { .. }) => match chunks.next() {
                Some(chunk) => parser.feed(chunk),
                None => parser.end(),
            },
            Ok(Event::End(module)) => break Ok(module),
            Ok(_) => {}
            Err(e) => break Err(e),
        }
    };
    match (&whole, &streamed) {
        (Ok(a), Ok(b)) => assert_eq!(a, &**b, "stream and whole parse differ"),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "whole parse {:?} but stream {:?}",
            whole.err(),
            streamed.err()
        ),
    }
});
