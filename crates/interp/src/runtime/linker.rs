//! The linker: definitions by module and item name, and instantiation.

use std::collections::HashMap;

use crate::runtime::module::Module;
use crate::runtime::store::{Extern, Instance, Store};
use crate::trap::Error;

/// Definitions for imports, by module name and item name.
#[derive(Clone, Debug, Default)]
pub struct Linker {
    defs: HashMap<String, HashMap<String, Extern>>,
}

impl Linker {
    /// A linker with no definitions.
    pub fn new() -> Linker {
        Linker::default()
    }

    /// Defines (or redefines) `module` `name`.
    pub fn define(&mut self, module: &str, name: &str, ext: Extern) -> &mut Linker {
        self.defs
            .entry(module.to_owned())
            .or_default()
            .insert(name.to_owned(), ext);
        self
    }

    /// Defines every export of `instance` under the module name `module`
    /// (what a `.wast` script's `register` does).
    pub fn define_instance(&mut self, store: &Store, module: &str, instance: Instance) {
        for (name, ext) in store.exports(instance) {
            self.define(module, name, ext);
        }
    }

    /// The definition of `module` `name`, if any.
    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.defs.get(module)?.get(name).copied()
    }

    /// Resolves the module's imports and instantiates it: allocates its
    /// entities, initializes element and data segments (which may trap with
    /// `out of bounds table access` / `out of bounds memory access`) and
    /// runs its start function.
    ///
    /// Errors: `unknown import`, `incompatible import type`, or a trap.
    pub fn instantiate(&self, store: &mut Store, module: &Module) -> Result<Instance, Error> {
        let imports = module
            .ast()
            .imports
            .iter()
            .map(|i| {
                self.get(&i.module, &i.name)
                    .ok_or_else(|| Error::UnknownImport {
                        module: i.module.clone(),
                        name: i.name.clone(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        crate::runtime::instantiate::instantiate(store, module, &imports)
    }
}
