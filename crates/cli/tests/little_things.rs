//! Shell completions, `--version`, an example in every `--help`, and the
//! progress line staying off standard error when it is not a terminal.

mod common;

use common::{fails_with, stderr, temp, weft};

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _weft"),
        ("zsh", "#compdef weft"),
        ("fish", "complete -c weft"),
    ] {
        let out = weft(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        // The new commands are completed too.
        assert!(
            script.contains("objdump") && script.contains("json-from-wast"),
            "{shell}"
        );
    }
    fails_with(&["completions", "tcsh"], "invalid value 'tcsh'");
}

#[test]
fn version_names_the_default_features() {
    let out = weft(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("weft {}\n", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("\nfeatures: "), "{text}");
    #[cfg(feature = "testsuite")]
    assert!(text.contains("testsuite"), "{text}");
    let proposals = text
        .lines()
        .find(|l| l.starts_with("default proposals: "))
        .unwrap();
    for name in weft_ast::Features::DEFAULT.names() {
        assert!(proposals.contains(name), "{name}: {text}");
    }
}

#[test]
fn every_help_has_an_example() {
    let out = weft(&["--help"]);
    let top = String::from_utf8(out.stdout).unwrap();
    assert!(top.contains("\nExample: weft "), "{top}");
    // Every command the top-level help lists.
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 13, "{commands:?}");
    for c in &commands {
        let out = weft(&[c.as_str(), "--help"]);
        assert!(out.status.success(), "{c}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("\nExample: weft {c}"))
                || text.contains(&format!("\nExamples:\n  weft {c}")),
            "{c}: {text}"
        );
    }
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let a = temp("a.wast");
    let b = temp("b.wast");
    std::fs::write(&a, "(module)").unwrap();
    std::fs::write(&b, "(module)").unwrap();
    let out = weft(&["wast".as_ref(), a.as_os_str(), b.as_os_str()]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    let dir = temp("smith-out");
    let out = weft(&[
        "smith".as_ref(),
        "--count".as_ref(),
        "3".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}
