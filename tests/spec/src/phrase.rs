//! Matching an error message against the phrase a script expects.
//!
//! The testsuite's phrases changed over the years: older snapshots (Wasm
//! 1.0, the proposal folders) use the earlier wording of the same error. A
//! message matches when it contains the phrase, or the phrase's current
//! wording.

/// Older phrases and the current wording of the same error.
const RENAMED: &[(&str, &str)] = &[
    ("invalid UTF-8 encoding", "malformed UTF-8 encoding"),
    ("invalid mutability", "malformed mutability"),
    ("invalid section id", "malformed section id"),
    ("invalid value type", "malformed value type"),
    ("zero flag expected", "zero byte expected"),
    (
        "junk after last section",
        "unexpected content after last section",
    ),
    // A section or vector length that runs past the end of the input; the
    // same modules expect "length out of bounds" in wasm-latest.
    (
        "unexpected end of section or function",
        "length out of bounds",
    ),
    ("unexpected end", "length out of bounds"),
    // SIMD lane immediates in the text format: the annotations folder's
    // copy of simd_lane.wast has the earlier wording of the errors that
    // the simd folder's copy of the same script now expects.
    ("invalid lane length", "wrong number of lane indices"),
    ("malformed lane index", "i8 constant out of range"),
    ("malformed lane index", "unexpected token"),
];

/// Whether `message` reports the error that `expected` names.
pub fn matches(message: &str, expected: &str) -> bool {
    if message.contains(expected) {
        return true;
    }
    RENAMED
        .iter()
        .any(|(old, new)| *old == expected && message.contains(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_renamed_phrases() {
        assert!(matches("type mismatch at offset 0x10", "type mismatch"));
        assert!(matches("malformed mutability at 0x3", "invalid mutability"));
        assert!(!matches("malformed mutability at 0x3", "unexpected end"));
        assert!(!matches("unexpected end", "invalid mutability"));
        assert!(matches("length out of bounds at 0x9", "unexpected end"));
        assert!(matches(
            "1:40: i8 constant out of range",
            "malformed lane index"
        ));
        assert!(!matches(
            "1:40: i8 constant out of range",
            "invalid lane length"
        ));
    }
}
