//! Every corpus binary survives `weft parse X -o Y`: Y holds the same module
//! as X, judged by wasmprinter's text of both.

#[test]
fn corpus_binaries_round_trip() {
    let Some(corpus) = weft_bench::corpus_for_test("corpus_binaries_round_trip") else {
        return;
    };
    let mut failures = Vec::new();
    for (name, bytes) in &corpus {
        let module = match weft_parser::parse(bytes) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{name}: does not decode: {e}"));
                continue;
            }
        };
        let again = module.encode();
        let before = wasmprinter::print_bytes(bytes).expect("wasmprinter prints the original");
        match wasmprinter::print_bytes(&again) {
            Ok(after) if after == before => {}
            Ok(_) => failures.push(format!("{name}: text differs after the round trip")),
            Err(e) => failures.push(format!("{name}: re-encoded bytes rejected: {e}")),
        }
    }
    println!(
        "{} of {} corpus binaries round-trip",
        corpus.len() - failures.len(),
        corpus.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
