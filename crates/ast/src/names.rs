//! `Names`: the contents of the name section, or the `$id`s of a text module.

/// Names by index, in increasing index order.
pub type NameMap = Vec<(u32, String)>;

/// Name maps by an outer index (locals and labels by function, fields by type).
pub type IndirectNameMap = Vec<(u32, NameMap)>;

/// Every name a module can carry, one map per index space.
///
/// Filled by the binary parser from the name section (subsections 0 to 11 of
/// the extended name section) and by the text parser from `$id`s; the printer
/// prints them as `$id`s.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// The module's name.
    pub module: Option<String>,
    /// Function names.
    pub funcs: NameMap,
    /// Local names, by function.
    pub locals: IndirectNameMap,
    /// Label names, by function.
    pub labels: IndirectNameMap,
    /// Type names.
    pub types: NameMap,
    /// Table names.
    pub tables: NameMap,
    /// Memory names.
    pub memories: NameMap,
    /// Global names.
    pub globals: NameMap,
    /// Element segment names.
    pub elems: NameMap,
    /// Data segment names.
    pub datas: NameMap,
    /// Field names, by type.
    pub fields: IndirectNameMap,
    /// Tag names.
    pub tags: NameMap,
}

impl Names {
    /// Whether no name at all is recorded.
    pub fn is_empty(&self) -> bool {
        self.module.is_none()
            && self.funcs.is_empty()
            && self.locals.is_empty()
            && self.labels.is_empty()
            && self.types.is_empty()
            && self.tables.is_empty()
            && self.memories.is_empty()
            && self.globals.is_empty()
            && self.elems.is_empty()
            && self.datas.is_empty()
            && self.fields.is_empty()
            && self.tags.is_empty()
    }

    /// Looks an index up in a name map (which is sorted by index).
    pub fn get(map: &NameMap, index: u32) -> Option<&str> {
        map.binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|at| map[at].1.as_str())
    }
}
