//! `$id`s for every index space, computed once per module from
//! [`Module::names`].
//!
//! Names become identifiers only where the text format can carry them: the
//! index must exist, the name must be non-empty, and within one index space
//! each identifier must be unique. A repeated name gets `_1`, `_2`, ...
//! appended (skipping anything already taken); label names need no
//! uniqueness, since labels may shadow each other.
//!
//! A name that no identifier spells (a repeat, so renamed, or the empty
//! name) is also kept as itself, for an `(@name "...")` annotation after
//! the binder (wasm-tools does the same), so that the name section reads
//! back unchanged.

use std::collections::{HashMap, HashSet};

use weft_ast::{CompositeType, ExternKind, Module, NameMap, Names};

use crate::text;

/// Printed identifiers (`$...`) by index, for one index space.
#[derive(Default)]
pub struct Space {
    ids: Vec<Option<Box<str>>>,
    renamed: Renamed,
}

/// The names the identifiers do not spell, by index.
#[derive(Default)]
struct Renamed(Vec<(u32, Box<str>)>);

impl Renamed {
    fn get(&self, index: u32) -> Option<&str> {
        self.0
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|at| &*self.0[at].1)
    }
}

impl Space {
    /// Builds a dense table for an index space of `size` entries.
    fn dense(map: &NameMap, size: u32) -> Space {
        let mut ids = Vec::new();
        let mut renamed = Renamed::default();
        if map.iter().any(|(i, _)| *i < size) {
            // Sized by the module's own contents, never by a count read
            // from the name section.
            ids.resize(size as usize, None);
            let (unique, r) = unique(map, size);
            for (index, id) in unique {
                ids[index as usize] = Some(id);
            }
            renamed = r;
        }
        Space { ids, renamed }
    }

    /// The name of an index when its identifier does not spell it.
    pub fn renamed(&self, index: u32) -> Option<&str> {
        self.renamed.get(index)
    }

    /// The identifier of an index, if it has one.
    pub fn get(&self, index: u32) -> Option<&str> {
        self.ids.get(index as usize)?.as_deref()
    }
}

/// Printed identifiers by index, for an index space that is looked up
/// rarely or is sparse (locals, fields, labels of one function or type).
#[derive(Default)]
pub struct Sparse {
    ids: Vec<(u32, Box<str>)>,
    renamed: Renamed,
}

impl Sparse {
    /// Builds the identifiers of a map whose indices are below `size`.
    fn new(map: &NameMap, size: u32) -> Sparse {
        let (ids, renamed) = unique(map, size);
        Sparse { ids, renamed }
    }

    /// The name of an index when its identifier does not spell it.
    pub fn renamed(&self, index: u32) -> Option<&str> {
        self.renamed.get(index)
    }

    /// The identifier of an index, if it has one.
    pub fn get(&self, index: u32) -> Option<&str> {
        self.ids
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|at| &*self.ids[at].1)
    }
}

/// The printed identifiers of `map`'s entries below `size`, made unique,
/// and the names they do not spell.
fn unique(map: &NameMap, size: u32) -> (Vec<(u32, Box<str>)>, Renamed) {
    let taken: HashSet<&str> = map.iter().map(|(_, n)| n.as_str()).collect();
    let mut used: HashSet<String> = HashSet::new();
    // Per repeated name, the next suffix to try: many repeats of one name
    // must not cost quadratic time.
    let mut next: HashMap<&str, u32> = HashMap::new();
    let mut out = Vec::new();
    let mut renamed = Vec::new();
    for (index, name) in map {
        if *index >= size {
            continue;
        }
        if name.is_empty() {
            renamed.push((*index, Box::from("")));
            continue;
        }
        let chosen = if used.contains(name.as_str()) {
            // Find a suffix that no name of this space spells.
            let n = next.entry(name.as_str()).or_insert(1);
            loop {
                let candidate = format!("{name}_{n}");
                *n += 1;
                if !taken.contains(candidate.as_str()) && !used.contains(&candidate) {
                    break candidate;
                }
            }
        } else {
            name.clone()
        };
        if let Some(id) = text::id(&chosen) {
            if chosen != *name {
                renamed.push((*index, Box::from(name.as_str())));
            }
            used.insert(chosen);
            out.push((*index, id));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.dedup_by_key(|(i, _)| *i);
    renamed.sort_by_key(|(i, _)| *i);
    renamed.dedup_by_key(|(i, _)| *i);
    (out, Renamed(renamed))
}

/// Label identifiers, not made unique (labels may shadow).
fn labels(map: &NameMap) -> Sparse {
    let mut ids: Vec<(u32, Box<str>)> = map
        .iter()
        .filter_map(|(i, n)| Some((*i, text::id(n)?)))
        .collect();
    ids.sort_by_key(|(i, _)| *i);
    ids.dedup_by_key(|(i, _)| *i);
    Sparse {
        ids,
        renamed: Renamed::default(),
    }
}

/// Every identifier of a module.
#[derive(Default)]
pub struct Ids {
    /// Functions.
    pub funcs: Space,
    /// Tables.
    pub tables: Space,
    /// Memories.
    pub memories: Space,
    /// Globals.
    pub globals: Space,
    /// Tags.
    pub tags: Space,
    /// Types.
    pub types: Space,
    /// Element segments.
    pub elems: Space,
    /// Data segments.
    pub datas: Space,
    locals: Vec<(u32, Sparse)>,
    labels: Vec<(u32, Sparse)>,
    fields: Vec<(u32, Sparse)>,
}

static EMPTY: Sparse = Sparse {
    ids: Vec::new(),
    renamed: Renamed(Vec::new()),
};

fn find(maps: &[(u32, Sparse)], outer: u32) -> &Sparse {
    match maps.binary_search_by_key(&outer, |(i, _)| *i) {
        Ok(at) => &maps[at].1,
        Err(_) => &EMPTY,
    }
}

impl Ids {
    /// Computes the identifiers of a module.
    pub fn new(module: &Module) -> Ids {
        let names: &Names = &module.names;
        if names.is_empty() {
            return Ids::default();
        }
        let count = |kind: ExternKind, defined: usize| {
            (module.num_imports(kind) as u64 + defined as u64).min(u32::MAX.into()) as u32
        };
        let nfuncs = count(ExternKind::Func, module.funcs.len());
        let imported: Vec<u32> = module
            .imports
            .iter()
            .filter_map(|i| i.desc.func_type())
            .collect();
        let mut locals = Vec::new();
        for (func, map) in &names.locals {
            if *func >= nfuncs {
                continue;
            }
            let size = local_count(module, &imported, *func);
            locals.push((*func, Sparse::new(map, size)));
        }
        let mut fields = Vec::new();
        for (ty, map) in &names.fields {
            let size = match module.types.get(*ty as usize).map(|t| &t.composite) {
                Some(CompositeType::Struct(f)) => f.len().min(u32::MAX as usize) as u32,
                _ => continue,
            };
            fields.push((*ty, Sparse::new(map, size)));
        }
        let mut label_maps: Vec<(u32, Sparse)> = names
            .labels
            .iter()
            .filter(|(f, _)| *f < nfuncs)
            .map(|(f, map)| (*f, labels(map)))
            .collect();
        for maps in [&mut locals, &mut fields, &mut label_maps] {
            maps.sort_by_key(|(i, _)| *i);
            maps.dedup_by_key(|(i, _)| *i);
        }
        Ids {
            funcs: Space::dense(&names.funcs, nfuncs),
            tables: Space::dense(&names.tables, count(ExternKind::Table, module.tables.len())),
            memories: Space::dense(
                &names.memories,
                count(ExternKind::Memory, module.memories.len()),
            ),
            globals: Space::dense(
                &names.globals,
                count(ExternKind::Global, module.globals.len()),
            ),
            tags: Space::dense(&names.tags, count(ExternKind::Tag, module.tags.len())),
            types: Space::dense(
                &names.types,
                module.types.len().min(u32::MAX as usize) as u32,
            ),
            elems: Space::dense(
                &names.elems,
                module.elems.len().min(u32::MAX as usize) as u32,
            ),
            datas: Space::dense(
                &names.datas,
                module.datas.len().min(u32::MAX as usize) as u32,
            ),
            locals,
            labels: label_maps,
            fields,
        }
    }

    /// The local identifiers of a function (parameters first).
    pub fn locals(&self, func: u32) -> &Sparse {
        find(&self.locals, func)
    }

    /// The label identifiers of a function, by the label's position among
    /// the function's block instructions.
    pub fn labels(&self, func: u32) -> &Sparse {
        find(&self.labels, func)
    }

    /// The field identifiers of a struct type.
    pub fn fields(&self, ty: u32) -> &Sparse {
        find(&self.fields, ty)
    }
}

/// Number of locals (parameters included) of a function, imported or
/// defined; saturates rather than overflows.
fn local_count(module: &Module, imported: &[u32], func: u32) -> u32 {
    let defined = (func as usize)
        .checked_sub(imported.len())
        .and_then(|i| module.funcs.get(i));
    let ty = match defined {
        Some(f) => f.ty,
        None => match imported.get(func as usize) {
            Some(ty) => *ty,
            None => return 0,
        },
    };
    let params = module.func_type(ty).map_or(0, |f| f.params.len() as u64);
    let declared: u64 = defined.map_or(0, |f| f.locals.iter().map(|l| u64::from(l.count)).sum());
    (params + declared).min(u32::MAX.into()) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_become_unique() {
        let map: NameMap = vec![
            (0, "f".into()),
            (1, "f".into()),
            (2, "f_1".into()),
            (3, "".into()),
            (4, "a b".into()),
            (9, "gone".into()),
        ];
        let s = Space::dense(&map, 5);
        assert_eq!(s.get(0), Some("$f"));
        assert_eq!(s.get(1), Some("$f_2"));
        assert_eq!(s.get(2), Some("$f_1"));
        assert_eq!(s.get(3), None);
        assert_eq!(s.get(4), Some("$\"a b\""));
        assert_eq!(s.get(9), None);
        // The names the identifiers do not spell.
        assert_eq!(s.renamed(0), None);
        assert_eq!(s.renamed(1), Some("f"));
        assert_eq!(s.renamed(2), None);
        assert_eq!(s.renamed(3), Some(""));
        assert_eq!(s.renamed(4), None);
        assert_eq!(s.renamed(9), None);
    }

    #[test]
    fn many_repeats_stay_fast() {
        let map: NameMap = (0..200_000).map(|i| (i, "f".to_string())).collect();
        let s = Space::dense(&map, 200_000);
        assert_eq!(s.get(0), Some("$f"));
        assert_eq!(s.get(199_999), Some("$f_199999"));
    }
}
