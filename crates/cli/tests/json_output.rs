//! `--json` on `validate`, `dump`, `wast` and `spec`: each line of output
//! a JSON object with the verdict and, for an error, where it is.

mod common;

use serde_json::Value;

use common::{stderr, temp, weft};

fn lines(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// One function `() -> ()` whose body is `i32.eqz` on an empty stack.
const INVALID: &[u8] =
    b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x05\x01\x03\0\x45\x0b";
const VALID: &[u8] = b"\0asm\x01\0\0\0\x01\x04\x01\x60\0\0\x03\x02\x01\0\x0a\x04\x01\x02\0\x0b";

#[test]
fn validate_gives_verdict_error_and_offset() {
    let good = temp("good.wasm");
    let bad = temp("bad.wasm");
    let text = temp("bad.wat");
    std::fs::write(&good, VALID).unwrap();
    std::fs::write(&bad, INVALID).unwrap();
    std::fs::write(&text, "(module\n  (func (result i32)))").unwrap();
    let out = weft(&[
        "validate".as_ref(),
        "--json".as_ref(),
        good.as_os_str(),
        bad.as_os_str(),
        text.as_os_str(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("2 of 3 modules are not valid"),
        "{}",
        stderr(&out)
    );
    let v = lines(&out);
    assert_eq!(v.len(), 3);
    assert_eq!(v[0]["valid"], true);
    assert!(v[0].get("error").is_none());
    assert_eq!(v[1]["valid"], false);
    assert_eq!(v[1]["offset"], 0x17);
    assert!(
        v[1]["error"].as_str().unwrap().contains("type mismatch"),
        "{}",
        v[1]
    );
    assert_eq!(v[2]["valid"], false);
    assert_eq!(v[2]["line"], 2);
    assert!(
        v[2]["error"].as_str().unwrap().contains("type mismatch"),
        "{}",
        v[2]
    );
    // A missing file is an invalid verdict with the reason.
    let out = weft(&["validate", "--json", "/nonexistent/m.wasm"]);
    assert!(!out.status.success());
    let v = lines(&out);
    assert!(
        v[0]["error"].as_str().unwrap().contains("No such file"),
        "{}",
        v[0]
    );
}

#[test]
fn dump_json_has_sections_and_details() {
    let good = temp("dump.wasm");
    std::fs::write(&good, VALID).unwrap();
    let out = weft(&["dump".as_ref(), "--json".as_ref(), good.as_os_str()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = &lines(&out)[0];
    let names: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Type", "Function", "Code"]);
    assert_eq!(v["sections"][2]["start"], 0x14);
    assert!(
        v["details"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == " - type[0] () -> ()"),
        "{v}"
    );
}

#[test]
fn wast_json_has_files_and_totals() {
    let script = temp("s.wast");
    std::fs::write(
        &script,
        "(module (func (export \"f\") (result i32) i32.const 1))\n\
         (assert_return (invoke \"f\") (i32.const 1))\n\
         (assert_return (invoke \"f\") (i32.const 2))\n",
    )
    .unwrap();
    let out = weft(&["wast".as_ref(), "--json".as_ref(), script.as_os_str()]);
    assert!(!out.status.success());
    let v = lines(&out);
    assert_eq!(v[0]["passed"], 2);
    assert_eq!(v[0]["failures"][0]["line"], 3);
    assert_eq!(
        v[1]["totals"],
        serde_json::json!({"passed": 2, "failed": 1, "skipped": 0})
    );
}

#[cfg(feature = "testsuite")]
#[test]
fn spec_json_has_directories_and_totals() {
    let out = weft(&["spec", "--json", "--filter", "wasm-v1/i32.wast", "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = &lines(&out)[0];
    assert_eq!(v["dirs"][0]["dir"], "wasm-v1");
    assert!(v["passed"].as_u64().unwrap() > 400, "{v}");
    assert_eq!(v["passed"], v["dirs"][0]["passed"]);
    assert!(v["failures"].is_array());
}
