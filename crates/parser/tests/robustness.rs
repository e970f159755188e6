//! Mutants of the testsuite's valid binaries: whatever the bytes, decoding
//! returns (no panic), a module that decodes round-trips to an equal one,
//! and the streaming parser agrees. A deterministic, in-tree cousin of the
//! `parse_binary` fuzz target.

mod common;

use common::all_binary_modules;
use weft_parser::{Event, Features, StreamParser, parse_with};

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len());
        match rng.below(6) {
            0 if at < out.len() => out[at] ^= 1 << rng.below(8),
            1 => out.truncate(at),
            2 => out.insert(at, rng.next() as u8),
            3 if at < out.len() => {
                out.remove(at);
            }
            4 => {
                // An overlong or huge LEB128 number somewhere.
                let junk = [0xff, 0xff, 0xff, 0xff, 0x0f];
                out.splice(at..at, junk);
            }
            _ => {
                let end = (at + rng.below(16)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
        }
        if out.is_empty() {
            break;
        }
    }
    out
}

fn stream(bytes: &[u8], features: Features) -> bool {
    let mut parser = StreamParser::new(features);
    let mut chunks = bytes.chunks(5);
    loop {
        match parser.next_event() {
            Ok(Event::NeedMore { .. }) => match chunks.next() {
                Some(chunk) => parser.feed(chunk),
                None => parser.end(),
            },
            Ok(Event::End(_)) => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

#[test]
fn mutants_never_panic_and_round_trip() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds: Vec<_> = all_binary_modules()
        .into_iter()
        .filter(|m| m.malformed.is_none() && !m.unsupported)
        .collect();
    let (mut decoded, mut rejected) = (0, 0);
    for seed in &seeds {
        for _ in 0..40 {
            let bytes = mutate(&seed.bytes, &mut rng);
            for features in [Features::ALL, Features::WASM1] {
                match parse_with(&bytes, features) {
                    Ok(module) => {
                        decoded += 1;
                        // The encoder writes segments in the current
                        // encoding (a 1.0 segment of table or memory 2 is
                        // kind 2 there), which every proposal's decoder
                        // reads.
                        let again = parse_with(&module.encode(), Features::ALL);
                        assert_eq!(
                            again.as_ref(),
                            Ok(&module),
                            "{}: mutant {bytes:02x?}",
                            seed.origin
                        );
                        assert!(
                            stream(&bytes, features),
                            "{}: stream rejects {bytes:02x?}",
                            seed.origin
                        );
                    }
                    Err(e) => {
                        rejected += 1;
                        assert!(
                            e.offset() <= bytes.len(),
                            "{}: offset past the end",
                            seed.origin
                        );
                        assert!(
                            !stream(&bytes, features),
                            "{}: stream accepts {bytes:02x?}",
                            seed.origin
                        );
                    }
                }
            }
        }
    }
    println!("mutants: {decoded} decoded and round-tripped, {rejected} rejected");
    assert!(decoded > 500 && rejected > 10_000);
}

#[test]
fn huge_counts_do_not_allocate() {
    // Four billion types, functions, locals and data bytes announced by
    // a few bytes each: errors, at once.
    let cases: &[&[u8]] = &[
        b"\0asm\x01\0\0\0\x01\x05\xff\xff\xff\xff\x0f",
        b"\0asm\x01\0\0\0\x03\x05\xff\xff\xff\xff\x0f",
        b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x09\x01\x07\x01\xff\xff\xff\xff\x0f\x7f",
        b"\0asm\x01\0\0\0\x0b\x07\x01\x01\xff\xff\xff\xff\x0f",
        b"\0asm\x01\0\0\0\x01\x07\x01\x4e\xff\xff\xff\xff\x0f",
    ];
    for bytes in cases {
        let err = parse_with(bytes, Features::ALL).unwrap_err();
        assert!(err.to_string().contains("unexpected end"), "{err}");
    }
}
