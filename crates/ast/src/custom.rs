//! Structured views of two tool-convention custom sections: `producers`
//! (which tools made a module) and `dylink.0` (dynamic-linking metadata).
//!
//! The module keeps these sections as raw bytes ([`CustomKind::Raw`]); the
//! views here exist for the text format, which has annotations for them
//! (`(@producers ...)`, `(@dylink.0 ...)`, wasm-tools' forms). A view is
//! only ever given for bytes it writes back exactly ([`Producers::decode`]
//! and [`Dylink0::decode`] check the round trip), so printing a section as
//! an annotation and parsing it back can never change the binary; bytes
//! the text form cannot carry (an unknown field, a repeated field, an
//! over-long LEB128) stay a plain `(@custom ...)`.
//!
//! [`CustomKind::Raw`]: crate::CustomKind::Raw

use crate::encode::{write_name, write_u32};

/// The name of the producers section.
pub const PRODUCERS_SECTION: &str = "producers";

/// The name of the dynamic-linking section.
pub const DYLINK0_SECTION: &str = "dylink.0";

/// The `producers` section: fields in their binary order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Producers {
    /// The fields, each named once.
    pub fields: Vec<ProducersField>,
}

/// One field of the producers section (`language`, `processed-by`, `sdk`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducersField {
    /// The field's name.
    pub name: String,
    /// Its values, in order; never empty in a decoded section.
    pub values: Vec<ProducerValue>,
}

/// A tool or language and its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProducerValue {
    /// The tool's or language's name.
    pub name: String,
    /// Its version (may be empty).
    pub version: String,
}

impl Producers {
    /// The field names the text form has a keyword for.
    pub const FIELDS: [&'static str; 3] = ["language", "processed-by", "sdk"];

    /// Adds a value to a field, creating the field at the end the first
    /// time it is named (the text form's grouping: values of one field
    /// go together, fields stay in the order they were first named).
    pub fn push(&mut self, field: &str, name: String, version: String) {
        let value = ProducerValue { name, version };
        match self.fields.iter_mut().find(|f| f.name == field) {
            Some(f) => f.values.push(value),
            None => self.fields.push(ProducersField {
                name: field.to_string(),
                values: vec![value],
            }),
        }
    }

    /// The section's payload (after its name).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_len(&mut out, self.fields.len());
        for f in &self.fields {
            write_name(&mut out, &f.name);
            write_len(&mut out, f.values.len());
            for v in &f.values {
                write_name(&mut out, &v.name);
                write_name(&mut out, &v.version);
            }
        }
        out
    }

    /// Reads a payload that the text form can carry and
    /// [`Producers::encode`] gives back byte for byte: known field names,
    /// each once and with at least one value; `None` otherwise.
    pub fn decode(data: &[u8]) -> Option<Producers> {
        let mut r = Reader { data, pos: 0 };
        let mut p = Producers::default();
        for _ in 0..r.u32()? {
            let name = r.string()?;
            if !Self::FIELDS.contains(&name.as_str()) || p.fields.iter().any(|f| f.name == name) {
                return None;
            }
            let mut values = Vec::new();
            for _ in 0..r.u32()? {
                let name = r.string()?;
                let version = r.string()?;
                values.push(ProducerValue { name, version });
            }
            if values.is_empty() {
                return None;
            }
            p.fields.push(ProducersField { name, values });
        }
        (r.pos == data.len() && p.encode() == data).then_some(p)
    }
}

/// The `dylink.0` section: its subsections in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dylink0 {
    /// The subsections.
    pub subsections: Vec<Dylink0Subsection>,
}

/// One subsection of `dylink.0` (ids 1 to 6 of the tool conventions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dylink0Subsection {
    /// `WASM_DYLINK_MEM_INFO` (1): what the module needs of the memory and
    /// the table (sizes, and alignments as powers of two).
    MemInfo {
        /// Bytes of static data.
        memory_size: u32,
        /// Their alignment (log2).
        memory_align: u32,
        /// Table slots.
        table_size: u32,
        /// Their alignment (log2).
        table_align: u32,
    },
    /// `WASM_DYLINK_NEEDED` (2): the shared libraries this one needs.
    Needed(Vec<String>),
    /// `WASM_DYLINK_EXPORT_INFO` (3): symbol flags of exports.
    ExportInfo(Vec<(String, u32)>),
    /// `WASM_DYLINK_IMPORT_INFO` (4): symbol flags of imports (module,
    /// field, flags).
    ImportInfo(Vec<(String, String, u32)>),
    /// `WASM_DYLINK_RUNTIME_PATH` (5): where to look for needed libraries.
    RuntimePath(Vec<String>),
    /// `WASM_DYLINK_TARGET_ARCH` (6): the target architecture.
    TargetArch(String),
}

/// The symbol flags the text form names, with their bits (the tool
/// conventions' `WASM_SYMBOL_*`); other bits are written as a number.
pub const SYMBOL_FLAGS: [(&str, u32); 9] = [
    ("binding-weak", 1 << 0),
    ("binding-local", 1 << 1),
    ("visibility-hidden", 1 << 2),
    ("undefined", 1 << 4),
    ("exported", 1 << 5),
    ("explicit-name", 1 << 6),
    ("no-strip", 1 << 7),
    ("tls", 1 << 8),
    ("absolute", 1 << 9),
];

impl Dylink0Subsection {
    /// The subsection's id.
    pub fn id(&self) -> u8 {
        match self {
            Dylink0Subsection::MemInfo { .. } => 1,
            Dylink0Subsection::Needed(_) => 2,
            Dylink0Subsection::ExportInfo(_) => 3,
            Dylink0Subsection::ImportInfo(_) => 4,
            Dylink0Subsection::RuntimePath(_) => 5,
            Dylink0Subsection::TargetArch(_) => 6,
        }
    }
}

impl Dylink0 {
    /// Adds an `export-info` entry: to the last subsection when it is an
    /// export-info one (the text form writes one entry per annotation),
    /// else as a new subsection.
    pub fn push_export_info(&mut self, name: String, flags: u32) {
        match self.subsections.last_mut() {
            Some(Dylink0Subsection::ExportInfo(list)) => list.push((name, flags)),
            _ => self
                .subsections
                .push(Dylink0Subsection::ExportInfo(vec![(name, flags)])),
        }
    }

    /// Adds an `import-info` entry, like [`Dylink0::push_export_info`].
    pub fn push_import_info(&mut self, module: String, field: String, flags: u32) {
        match self.subsections.last_mut() {
            Some(Dylink0Subsection::ImportInfo(list)) => list.push((module, field, flags)),
            _ => self
                .subsections
                .push(Dylink0Subsection::ImportInfo(vec![(module, field, flags)])),
        }
    }

    /// The section's payload (after its name).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for sub in &self.subsections {
            let mut body = Vec::new();
            match sub {
                Dylink0Subsection::MemInfo {
                    memory_size,
                    memory_align,
                    table_size,
                    table_align,
                } => {
                    for v in [memory_size, memory_align, table_size, table_align] {
                        write_u32(&mut body, *v);
                    }
                }
                Dylink0Subsection::Needed(list) | Dylink0Subsection::RuntimePath(list) => {
                    write_len(&mut body, list.len());
                    for s in list {
                        write_name(&mut body, s);
                    }
                }
                Dylink0Subsection::ExportInfo(list) => {
                    write_len(&mut body, list.len());
                    for (name, flags) in list {
                        write_name(&mut body, name);
                        write_u32(&mut body, *flags);
                    }
                }
                Dylink0Subsection::ImportInfo(list) => {
                    write_len(&mut body, list.len());
                    for (module, field, flags) in list {
                        write_name(&mut body, module);
                        write_name(&mut body, field);
                        write_u32(&mut body, *flags);
                    }
                }
                Dylink0Subsection::TargetArch(arch) => write_name(&mut body, arch),
            }
            out.push(sub.id());
            write_len(&mut out, body.len());
            out.extend_from_slice(&body);
        }
        out
    }

    /// Reads a payload that the text form can carry and [`Dylink0::encode`]
    /// gives back byte for byte: known subsections, no two export-info (or
    /// import-info) subsections in a row and none empty (the text form
    /// would merge or lose them); `None` otherwise.
    pub fn decode(data: &[u8]) -> Option<Dylink0> {
        let mut r = Reader { data, pos: 0 };
        let mut d = Dylink0::default();
        while r.pos < data.len() {
            let id = r.byte()?;
            let size = r.u32()? as usize;
            let end = r.pos.checked_add(size).filter(|&e| e <= data.len())?;
            let mut s = Reader {
                data: &data[..end],
                pos: r.pos,
            };
            let sub = match id {
                1 => Dylink0Subsection::MemInfo {
                    memory_size: s.u32()?,
                    memory_align: s.u32()?,
                    table_size: s.u32()?,
                    table_align: s.u32()?,
                },
                2 | 5 => {
                    let mut list = Vec::new();
                    for _ in 0..s.u32()? {
                        list.push(s.string()?);
                    }
                    if id == 2 {
                        Dylink0Subsection::Needed(list)
                    } else {
                        Dylink0Subsection::RuntimePath(list)
                    }
                }
                3 => {
                    let mut list = Vec::new();
                    for _ in 0..s.u32()? {
                        list.push((s.string()?, s.u32()?));
                    }
                    if list.is_empty() {
                        return None;
                    }
                    Dylink0Subsection::ExportInfo(list)
                }
                4 => {
                    let mut list = Vec::new();
                    for _ in 0..s.u32()? {
                        list.push((s.string()?, s.string()?, s.u32()?));
                    }
                    if list.is_empty() {
                        return None;
                    }
                    Dylink0Subsection::ImportInfo(list)
                }
                6 => Dylink0Subsection::TargetArch(s.string()?),
                _ => return None,
            };
            if s.pos != end {
                return None;
            }
            let repeated = matches!(
                (d.subsections.last(), &sub),
                (
                    Some(Dylink0Subsection::ExportInfo(_)),
                    Dylink0Subsection::ExportInfo(_)
                ) | (
                    Some(Dylink0Subsection::ImportInfo(_)),
                    Dylink0Subsection::ImportInfo(_)
                )
            );
            if repeated {
                return None;
            }
            d.subsections.push(sub);
            r.pos = end;
        }
        (d.encode() == data).then_some(d)
    }
}

/// Writes a length as a `u32` LEB128 (lengths of in-memory vectors fit).
fn write_len(out: &mut Vec<u8>, len: usize) {
    write_u32(out, u32::try_from(len).unwrap_or(u32::MAX));
}

/// A cursor over a payload: every read checks the bounds, and vectors
/// are read item by item (each item takes at least one byte), so no count
/// in the input decides an allocation.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// An unsigned LEB128 of at most 5 bytes that fits in 32 bits.
    fn u32(&mut self) -> Option<u32> {
        let mut value = 0u32;
        for i in 0..5 {
            let b = self.byte()?;
            if i == 4 && b > 0x0f {
                return None;
            }
            value |= u32::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn string(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        let end = self
            .pos
            .checked_add(len)
            .filter(|&e| e <= self.data.len())?;
        let s = std::str::from_utf8(&self.data[self.pos..end]).ok()?;
        self.pos = end;
        Some(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn producers_round_trip() {
        let mut p = Producers::default();
        p.push("language", "Rust".into(), String::new());
        p.push("processed-by", "rustc".into(), "1.80.0".into());
        p.push("language", "C".into(), "11".into());
        assert_eq!(p.fields.len(), 2);
        assert_eq!(p.fields[0].values.len(), 2);
        let bytes = p.encode();
        assert_eq!(Producers::decode(&bytes), Some(p));
    }

    #[test]
    fn producers_the_text_cannot_carry() {
        // An unknown field name.
        assert_eq!(Producers::decode(b"\x01\x03foo\x01\x01a\x00"), None);
        // A repeated field.
        assert_eq!(
            Producers::decode(b"\x02\x03sdk\x01\x01a\x00\x03sdk\x01\x01b\x00"),
            None
        );
        // An empty field.
        assert_eq!(Producers::decode(b"\x01\x03sdk\x00"), None);
        // An over-long count (LEB128 with a padding byte).
        assert_eq!(Producers::decode(b"\x81\x00\x03sdk\x01\x01a\x00"), None);
        // Trailing bytes, truncation, bad UTF-8, a huge count.
        assert_eq!(Producers::decode(b"\x00\x00"), None);
        assert_eq!(Producers::decode(b"\x01\x03sd"), None);
        assert_eq!(Producers::decode(b"\x01\x03s\xffk\x01\x01a\x00"), None);
        assert_eq!(Producers::decode(b"\xff\xff\xff\xff\x0f"), None);
        assert_eq!(Producers::decode(b"\x00"), Some(Producers::default()));
    }

    #[test]
    fn dylink0_round_trip() {
        let mut d = Dylink0 {
            subsections: vec![
                Dylink0Subsection::MemInfo {
                    memory_size: 16,
                    memory_align: 2,
                    table_size: 1,
                    table_align: 0,
                },
                Dylink0Subsection::Needed(vec!["libc.so".into()]),
            ],
        };
        d.push_export_info("f".into(), 0x20);
        d.push_export_info("g".into(), 0x1001);
        d.push_import_info("env".into(), "h".into(), 1);
        d.subsections
            .push(Dylink0Subsection::RuntimePath(vec!["$ORIGIN".into()]));
        d.subsections
            .push(Dylink0Subsection::TargetArch("wasm32".into()));
        assert_eq!(d.subsections.len(), 6);
        let bytes = d.encode();
        assert_eq!(Dylink0::decode(&bytes), Some(d));
    }

    #[test]
    fn dylink0_the_text_cannot_carry() {
        // Unknown subsection id.
        assert_eq!(Dylink0::decode(b"\x07\x00"), None);
        // Two export-info subsections in a row, or an empty one.
        assert_eq!(
            Dylink0::decode(b"\x03\x04\x01\x01f\x00\x03\x04\x01\x01g\x00"),
            None
        );
        assert_eq!(Dylink0::decode(b"\x03\x01\x00"), None);
        // A subsection whose size does not match its contents.
        assert_eq!(Dylink0::decode(b"\x02\x03\x01\x00\x00"), None);
        assert_eq!(Dylink0::decode(b"\x02\x09\x01\x00"), None);
        // mem-info with an over-long LEB128.
        assert_eq!(Dylink0::decode(b"\x01\x05\x80\x00\x00\x00\x00"), None);
        assert_eq!(Dylink0::decode(b""), Some(Dylink0::default()));
    }
}
