//! `Features`: which proposals a parser or validator accepts.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// A set of WebAssembly proposals, accepted alike by the binary parser, the
/// text parser and the validator.
///
/// [`Features::default`] is what deployed engines accept: Wasm 3.0 plus
/// threads and wide arithmetic.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Features(u32);

macro_rules! features {
    ($( $(#[doc = $doc:literal])* $name:ident = $bit:literal, $text:literal; )*) => {
        impl Features {
            $(
                $(#[doc = $doc])*
                pub const $name: Features = Features(1 << $bit);
            )*

            /// Every single proposal with its command-line name.
            pub const NAMED: &[(&str, Features)] = &[ $( ($text, Features::$name), )* ];
        }
    };
}

features! {
    /// Importing and exporting mutable globals (Wasm 2.0).
    MUTABLE_GLOBAL = 0, "mutable-global";
    /// Sign-extension operators (Wasm 2.0).
    SIGN_EXTENSION = 1, "sign-extension";
    /// Non-trapping float-to-int conversions (Wasm 2.0).
    SATURATING_FLOAT_TO_INT = 2, "saturating-float-to-int";
    /// Multiple results and block parameters (Wasm 2.0).
    MULTI_VALUE = 3, "multi-value";
    /// Bulk memory and table operations, passive segments (Wasm 2.0).
    BULK_MEMORY = 4, "bulk-memory";
    /// funcref/externref values, several tables, table instructions (Wasm 2.0).
    REFERENCE_TYPES = 5, "reference-types";
    /// 128-bit SIMD (Wasm 2.0).
    SIMD = 6, "simd";
    /// Relaxed SIMD (Wasm 3.0).
    RELAXED_SIMD = 7, "relaxed-simd";
    /// Tail calls (Wasm 3.0).
    TAIL_CALL = 8, "tail-call";
    /// Extended constant expressions (Wasm 3.0).
    EXTENDED_CONST = 9, "extended-const";
    /// Several memories (Wasm 3.0).
    MULTI_MEMORY = 10, "multi-memory";
    /// 64-bit memories and tables (Wasm 3.0).
    MEMORY64 = 11, "memory64";
    /// Exception handling with `try_table` and `exnref` (Wasm 3.0).
    EXCEPTIONS = 12, "exceptions";
    /// Typed function references (Wasm 3.0).
    FUNCTION_REFERENCES = 13, "function-references";
    /// Garbage collection (Wasm 3.0).
    GC = 14, "gc";
    /// Threads: shared memories and atomics.
    THREADS = 15, "threads";
    /// 128-bit wide arithmetic.
    WIDE_ARITHMETIC = 16, "wide-arithmetic";
    /// The legacy exception instructions (`try`, `catch`, `delegate`, ...).
    LEGACY_EXCEPTIONS = 17, "legacy-exceptions";
    /// Memories with a custom page size.
    CUSTOM_PAGE_SIZES = 18, "custom-page-sizes";
    /// Custom descriptors: exact reference types, `descriptor`/`describes`
    /// clauses on struct types and the instructions using them.
    CUSTOM_DESCRIPTORS = 19, "custom-descriptors";
}

impl Features {
    /// Wasm 1.0: no proposal at all. Every set contains it.
    pub const MVP: Features = Features(0);

    /// Wasm 1.0 exactly, as the W3C recommendation has it: the MVP plus
    /// importing and exporting mutable globals.
    pub const WASM1: Features = Features::MUTABLE_GLOBAL;

    /// Wasm 2.0: 1.0 and the proposals merged into it.
    pub const WASM2: Features = Features(
        Features::WASM1.0
            | Features::SIGN_EXTENSION.0
            | Features::SATURATING_FLOAT_TO_INT.0
            | Features::MULTI_VALUE.0
            | Features::BULK_MEMORY.0
            | Features::REFERENCE_TYPES.0
            | Features::SIMD.0,
    );

    /// Wasm 3.0: 2.0 and the proposals merged into it.
    pub const WASM3: Features = Features(
        Features::WASM2.0
            | Features::RELAXED_SIMD.0
            | Features::TAIL_CALL.0
            | Features::EXTENDED_CONST.0
            | Features::MULTI_MEMORY.0
            | Features::MEMORY64.0
            | Features::EXCEPTIONS.0
            | Features::FUNCTION_REFERENCES.0
            | Features::GC.0,
    );

    /// What deployed engines accept, and [`Features::default`]: Wasm 3.0
    /// plus threads and wide arithmetic.
    pub const DEFAULT: Features =
        Features(Features::WASM3.0 | Features::THREADS.0 | Features::WIDE_ARITHMETIC.0);

    /// Every proposal known, the legacy exceptions included.
    pub const ALL: Features = Features((1 << 20) - 1);

    /// The empty set: same as [`Features::MVP`].
    pub const fn empty() -> Features {
        Features(0)
    }

    /// Whether every proposal of `other` is in `self`.
    pub const fn contains(self, other: Features) -> bool {
        self.0 & other.0 == other.0
    }

    /// `self` with `other` added.
    pub const fn with(self, other: Features) -> Features {
        Features(self.0 | other.0)
    }

    /// `self` with `other` removed.
    pub const fn without(self, other: Features) -> Features {
        Features(self.0 & !other.0)
    }

    /// The single proposal with this command-line name (`gc`, `simd`, ...).
    pub fn by_name(name: &str) -> Option<Features> {
        Features::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }

    /// The presets [`Features::parse`] knows by name, each with its set.
    pub const PRESETS: &[(&str, Features)] = &[
        ("wasm1", Features::WASM1),
        ("mvp", Features::WASM1),
        ("wasm2", Features::WASM2),
        ("wasm3", Features::WASM3),
        ("default", Features::DEFAULT),
        ("all", Features::ALL),
    ];

    /// A proposal or preset by its command-line name.
    fn named(name: &str) -> Option<Features> {
        Features::PRESETS
            .iter()
            .chain(Features::NAMED)
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }

    /// A feature set from a command-line description: comma-separated
    /// parts, each a preset (`wasm1`, `wasm2`, `wasm3`, `default`, `all`)
    /// or a proposal name, to start from, or such a name after `+` or `-`
    /// to add or remove. `all,-all` is the empty set; `-simd` alone is the
    /// default without SIMD.
    pub fn parse(spec: &str) -> Result<Features, UnknownFeature> {
        let mut set = Features::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (edit, name) = match part.as_bytes()[0] {
                b'+' => (Some(true), &part[1..]),
                b'-' => (Some(false), &part[1..]),
                _ => (None, part),
            };
            let f = Features::named(name).ok_or_else(|| UnknownFeature(name.to_string()))?;
            let preset = Features::PRESETS.iter().any(|(n, _)| *n == name);
            set = match edit {
                Some(true) => set.with(f),
                Some(false) => set.without(f),
                // A preset names the whole set; a bare proposal name adds it.
                None if preset => f,
                None => set.with(f),
            };
        }
        Ok(set)
    }

    /// The command-line names of the proposals in this set.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Features::NAMED
            .iter()
            .filter(move |(_, f)| self.contains(*f))
            .map(|(n, _)| *n)
    }
}

impl Default for Features {
    fn default() -> Features {
        Features::DEFAULT
    }
}

impl BitOr for Features {
    type Output = Features;
    fn bitor(self, rhs: Features) -> Features {
        self.with(rhs)
    }
}

impl BitOrAssign for Features {
    fn bitor_assign(&mut self, rhs: Features) {
        *self = self.with(rhs);
    }
}

impl fmt::Debug for Features {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Features::NAMED
            .iter()
            .filter(|(_, flag)| self.contains(*flag))
            .map(|(n, _)| *n)
            .collect();
        write!(f, "Features({})", names.join(","))
    }
}

/// A proposal name that [`Features::parse`] does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFeature(pub String);

impl fmt::Display for UnknownFeature {
    /// Names the unknown feature and lists the known ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown feature `{}`; known: ", self.0)?;
        let presets = Features::PRESETS.iter().map(|(n, _)| *n);
        let names = presets.chain(Features::NAMED.iter().map(|(n, _)| *n));
        for (i, name) in names.enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownFeature {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_nest() {
        assert!(Features::WASM3.contains(Features::WASM2));
        assert!(Features::ALL.contains(Features::default()));
        assert!(!Features::WASM2.contains(Features::GC));
        assert!(Features::WASM1.contains(Features::MVP));
        assert!(!Features::default().contains(Features::LEGACY_EXCEPTIONS));
    }

    #[test]
    fn parses_edits() {
        let f = Features::parse("wasm2,+tail-call,-simd").unwrap();
        assert!(f.contains(Features::TAIL_CALL));
        assert!(!f.contains(Features::SIMD));
        assert!(f.contains(Features::BULK_MEMORY));
        assert_eq!(
            Features::parse("+nope"),
            Err(UnknownFeature("nope".to_string()))
        );
    }

    #[test]
    fn presets_can_be_edited_too() {
        assert_eq!(Features::parse("all,-all"), Ok(Features::empty()));
        assert_eq!(
            Features::parse("-simd"),
            Ok(Features::default().without(Features::SIMD))
        );
        assert_eq!(Features::parse("wasm1,+wasm2"), Ok(Features::WASM2));
        assert_eq!(Features::parse("default"), Ok(Features::default()));
        assert_eq!(Features::parse("gc"), Ok(Features::default()));
        let e = UnknownFeature("nope".into()).to_string();
        assert!(e.starts_with("unknown feature `nope`; known: wasm1"), "{e}");
        assert!(e.contains("legacy-exceptions"), "{e}");
    }
}
