//! Every corpus binary printed by weft (flat and folded) is text that `wat`
//! reads back to the same module, judged by wasmprinter's text of both.

#[test]
fn corpus_text_round_trips() {
    let Some(corpus) = weft_bench::corpus_for_test("corpus_text_round_trips") else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, bytes) in &corpus {
        let Ok(module) = weft_parser::parse(bytes) else {
            // The parser's own round trip reports this.
            continue;
        };
        let before = wasmprinter::print_bytes(bytes).expect("wasmprinter prints the original");
        for fold in [false, true] {
            let options = weft_printer::Options {
                fold,
                ..weft_printer::Options::default()
            };
            let mut text = String::new();
            weft_printer::print_module(&module, &options, &mut text).expect("printing to a String");
            checked += 1;
            let after = match wat::parse_str(&text) {
                Ok(again) => wasmprinter::print_bytes(&again),
                Err(e) => {
                    failures.push(format!("{name} (fold: {fold}): wat rejects our text: {e}"));
                    continue;
                }
            };
            match after {
                Ok(after) if after == before => {}
                Ok(_) => failures.push(format!("{name} (fold: {fold}): another module came back")),
                Err(e) => failures.push(format!("{name} (fold: {fold}): {e}")),
            }
        }
    }
    println!(
        "{} of {checked} corpus texts round-trip",
        checked - failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
