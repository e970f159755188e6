//! `weft strip` as a user runs it: which custom sections go, every other
//! section's bytes unchanged, and bad inputs (missing, not a module, cut
//! short, an output that cannot be written) refused with nothing written.

mod common;

use common::{fails_with, stderr, temp, weft};

/// A module with a type section, a function, custom sections `a`, `b`
/// and `a` around them, and a code section with a padded size field.
const MODULE: &[u8] = b"\0asm\x01\0\0\0\
    \x00\x03\x01a1\
    \x01\x04\x01\x60\0\0\
    \x00\x04\x01b22\
    \x03\x02\x01\0\
    \x0a\x84\x80\x80\x80\x00\x01\x02\0\x0b\
    \x00\x02\x01a";

/// Each section's id and whole bytes (id, size field, contents).
fn sections(bytes: &[u8]) -> Vec<(u8, Option<String>, Vec<u8>)> {
    let (frames, err) = weft_parser::section_frames(bytes);
    assert!(err.is_none());
    let mut at = 8;
    frames
        .into_iter()
        .map(|f| {
            let whole = bytes[at..f.range.end].to_vec();
            at = f.range.end;
            (f.id, f.custom_name, whole)
        })
        .collect()
}

fn strip(extra: &[&str]) -> Vec<u8> {
    let input = temp("in.wasm");
    let output = temp("out.wasm");
    std::fs::write(&input, MODULE).unwrap();
    let mut args = vec![
        "strip".into(),
        input.into_os_string(),
        "-o".into(),
        output.clone().into_os_string(),
    ];
    args.extend(extra.iter().map(Into::into));
    let out = weft(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read(&output).unwrap()
}

fn customs(bytes: &[u8]) -> Vec<String> {
    sections(bytes)
        .into_iter()
        .filter_map(|(_, name, _)| name)
        .collect()
}

#[test]
fn removes_the_chosen_custom_sections_and_nothing_else() {
    let others: Vec<_> = sections(MODULE).into_iter().filter(|s| s.0 != 0).collect();
    for (args, left) in [
        (&[][..], &[][..]),
        (&["--delete", "a"][..], &["b"][..]),
        (&["--delete", "b", "--delete", "a"][..], &[][..]),
        (&["--keep", "a"][..], &["a", "a"][..]),
        (&["--keep", "b"][..], &["b"][..]),
    ] {
        let stripped = strip(args);
        assert_eq!(customs(&stripped), left, "{args:?}");
        // Every other section, byte for byte (the padded size included).
        let kept: Vec<_> = sections(&stripped)
            .into_iter()
            .filter(|s| s.0 != 0)
            .collect();
        assert_eq!(kept, others, "{args:?}");
        assert_eq!(&stripped[..8], &MODULE[..8]);
    }
    assert_eq!(strip(&["--delete", "zzz"]), MODULE);
}

#[test]
fn bad_inputs_write_nothing() {
    let output = temp("never.wasm");
    // Missing input.
    fails_with(
        &[
            "strip".as_ref(),
            "/nonexistent/in.wasm".as_ref(),
            "-o".as_ref(),
            output.as_os_str(),
        ],
        "/nonexistent/in.wasm: No such file",
    );
    // Text, not a binary module.
    let text = temp("m.wat");
    std::fs::write(&text, "(module)").unwrap();
    fails_with(
        &[
            "strip".as_ref(),
            text.as_os_str(),
            "-o".as_ref(),
            output.as_os_str(),
        ],
        "magic header not detected",
    );
    // A section running past the end.
    let cut = temp("cut.wasm");
    std::fs::write(&cut, &MODULE[..MODULE.len() - 1]).unwrap();
    fails_with(
        &[
            "strip".as_ref(),
            cut.as_os_str(),
            "-o".as_ref(),
            output.as_os_str(),
        ],
        "cut.wasm: ",
    );
    assert!(!output.exists());
    // An output that cannot be written.
    let input = temp("ok.wasm");
    std::fs::write(&input, MODULE).unwrap();
    fails_with(
        &[
            "strip".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            "/nonexistent/dir/out.wasm".as_ref(),
        ],
        "/nonexistent/dir/out.wasm",
    );
    // --delete and --keep together make no sense.
    let out = weft(&[
        "strip".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        output.as_os_str(),
        "--delete".as_ref(),
        "a".as_ref(),
        "--keep".as_ref(),
        "b".as_ref(),
    ]);
    assert!(!out.status.success());
    assert!(!output.exists());
}
