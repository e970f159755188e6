//! Index spaces by `$id`: the symbol tables the parser resolves against.

use std::collections::HashMap;

/// One index space: how many entries it has and which have `$id`s.
#[derive(Default, Debug)]
pub(crate) struct Space {
    names: HashMap<String, u32>,
    /// Number of entries defined so far.
    pub count: u32,
}

impl Space {
    /// Adds an entry (named or not) and returns its index, or `Err` with
    /// the index already carrying that name.
    pub fn define(&mut self, name: Option<&str>) -> Result<u32, u32> {
        let idx = self.count;
        if let Some(name) = name {
            if let Some(&old) = self.names.get(name) {
                return Err(old);
            }
            self.names.insert(name.to_string(), idx);
        }
        self.count += 1;
        Ok(idx)
    }

    /// The index named `name`.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.names.get(name).copied()
    }
}

/// Which index space an index refers to; also names it in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ns {
    /// Types.
    Type,
    /// Functions.
    Func,
    /// Tables.
    Table,
    /// Memories.
    Memory,
    /// Globals.
    Global,
    /// Tags.
    Tag,
    /// Element segments.
    Elem,
    /// Data segments.
    Data,
}

impl Ns {
    /// The word the spec's messages use for this space.
    pub fn word(self) -> &'static str {
        match self {
            Ns::Type => "type",
            Ns::Func => "func",
            Ns::Table => "table",
            Ns::Memory => "memory",
            Ns::Global => "global",
            Ns::Tag => "tag",
            Ns::Elem => "elem",
            Ns::Data => "data",
        }
    }
}

/// Every module-level index space, and the struct field names (which
/// resolve within their type).
#[derive(Default, Debug)]
pub(crate) struct Spaces {
    /// Types.
    pub types: Space,
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
    /// Element segments.
    pub elems: Space,
    /// Data segments.
    pub datas: Space,
    /// Field names by type index.
    pub fields: HashMap<u32, Space>,
}

impl Spaces {
    /// The space of a namespace.
    pub fn get(&self, ns: Ns) -> &Space {
        match ns {
            Ns::Type => &self.types,
            Ns::Func => &self.funcs,
            Ns::Table => &self.tables,
            Ns::Memory => &self.memories,
            Ns::Global => &self.globals,
            Ns::Tag => &self.tags,
            Ns::Elem => &self.elems,
            Ns::Data => &self.datas,
        }
    }

    /// The space of a namespace, to define in.
    pub fn get_mut(&mut self, ns: Ns) -> &mut Space {
        match ns {
            Ns::Type => &mut self.types,
            Ns::Func => &mut self.funcs,
            Ns::Table => &mut self.tables,
            Ns::Memory => &mut self.memories,
            Ns::Global => &mut self.globals,
            Ns::Tag => &mut self.tags,
            Ns::Elem => &mut self.elems,
            Ns::Data => &mut self.datas,
        }
    }
}
