//! The name section, decoded into [`Names`].
//!
//! A custom section never makes a module malformed, so any problem here only
//! means the section is kept as raw bytes. A name section is accepted only
//! when [`weft_ast::encode::encode_names`] can give it back: known
//! subsections, and name maps in strictly increasing index order (which is
//! also what lets [`Names::get`] binary-search them).

use weft_ast::{IndirectNameMap, NameMap, Names};

use crate::error::Result;
use crate::reader::Reader;

/// Decodes a name section's payload (after the section name), or `None`
/// when it is malformed or holds something [`Names`] cannot.
pub fn decode(payload: &[u8]) -> Option<Names> {
    let mut r = Reader::new(payload, 0);
    let mut names = Names::default();
    let mut last_id = None;
    while !r.at_end() {
        let id = r.u8().ok()?;
        // Subsections come in increasing id order, each at most once.
        if last_id.is_some_and(|last| id <= last) {
            return None;
        }
        last_id = Some(id);
        let size = r.len().ok()?;
        let end = r.pos() + size;
        let saved = r.limit(size);
        subsection(&mut r, id, &mut names)?;
        if r.pos() != end {
            return None;
        }
        r.restore(saved);
    }
    Some(names)
}

fn subsection(r: &mut Reader<'_>, id: u8, names: &mut Names) -> Option<()> {
    match id {
        0 => names.module = Some(r.name().ok()?.to_string()),
        1 => names.funcs = name_map(r).ok()??,
        2 => names.locals = indirect_map(r)?,
        3 => names.labels = indirect_map(r)?,
        4 => names.types = name_map(r).ok()??,
        5 => names.tables = name_map(r).ok()??,
        6 => names.memories = name_map(r).ok()??,
        7 => names.globals = name_map(r).ok()??,
        8 => names.elems = name_map(r).ok()??,
        9 => names.datas = name_map(r).ok()??,
        10 => names.fields = indirect_map(r)?,
        11 => names.tags = name_map(r).ok()??,
        _ => return None,
    }
    Some(())
}

/// A name map; `Ok(None)` when its indices are not strictly increasing.
fn name_map(r: &mut Reader<'_>) -> Result<Option<NameMap>> {
    let (n, cap) = r.count()?;
    let mut map = Vec::with_capacity(cap);
    for _ in 0..n {
        let idx = r.u32()?;
        let name = r.name()?;
        if map.last().is_some_and(|(last, _)| *last >= idx) {
            return Ok(None);
        }
        map.push((idx, name.to_string()));
    }
    Ok(Some(map))
}

fn indirect_map(r: &mut Reader<'_>) -> Option<IndirectNameMap> {
    let (n, cap) = r.count().ok()?;
    let mut map: IndirectNameMap = Vec::with_capacity(cap);
    for _ in 0..n {
        let idx = r.u32().ok()?;
        let inner = name_map(r).ok()??;
        if map.last().is_some_and(|(last, _)| *last >= idx) {
            return None;
        }
        map.push((idx, inner));
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use weft_ast::encode::encode_names;

    #[test]
    fn round_trip() {
        let names = Names {
            module: Some("m".into()),
            funcs: vec![(0, "f".into()), (3, "g".into())],
            locals: vec![(0, vec![(1, "x".into())])],
            fields: vec![(2, vec![(0, "a".into()), (1, "b".into())])],
            tags: vec![(0, "t".into())],
            ..Names::default()
        };
        let mut bytes = Vec::new();
        encode_names(&mut bytes, &names);
        assert_eq!(decode(&bytes), Some(names));
    }

    #[test]
    fn malformed_is_none() {
        // Unknown subsection.
        assert_eq!(decode(&[12, 0]), None);
        // Out-of-order indices.
        assert_eq!(decode(&[1, 7, 2, 1, 1, b'a', 0, 1, b'b']), None);
        // Truncated.
        assert_eq!(decode(&[1, 5, 1]), None);
        // Subsections out of order.
        assert_eq!(decode(&[1, 1, 0, 0, 2, 1, b'm']), None);
        assert_eq!(decode(&[]), Some(Names::default()));
    }
}
