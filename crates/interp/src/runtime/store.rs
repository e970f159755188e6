//! The store: every function, table, memory and global instance, owned in
//! one place and referred to by handle.

use std::sync::Arc;

use weft_ast::{
    CompositeType, FuncType, GlobalType, MemoryType, RecGroup, SubType, TableType, ValType,
};
use weft_validator::{CanonId, TypeRegistry};

use crate::interpreter::ir::Code;
use crate::limits::{Resource, StoreLimits, Usage};
use std::collections::HashMap;

use crate::runtime::backtrace::TrapFrame;
use crate::runtime::memory::{MemoryInst, MemoryMode};
use crate::runtime::module::Module;
use crate::runtime::table::TableInst;
use crate::trap::{Error, Trap};
use crate::value::Value;

pub use crate::runtime::handles::{Extern, Func, Global, Instance, Memory, Table, Tag};

/// A canonical type of a store (an id of its [`TypeRegistry`]): two
/// functions have equal ids exactly when their types are equal, with
/// iso-recursive equality for recursive types.
pub(crate) type TypeId = CanonId;

/// A WebAssembly function as a call reaches it: its code and instance.
pub(crate) type WasmCallee = (Arc<Code>, u32);

/// An instance's view of the store: the addresses behind its index spaces.
pub(crate) struct InstanceData {
    pub module: Module,
    /// Canonical id of every type index.
    pub types: Box<[TypeId]>,
    pub funcs: Vec<u32>,
    /// For each function index, the code and instance of a WebAssembly
    /// function (`None` for a host function): a direct call in the inner
    /// loop reads one entry instead of going through the store's function.
    pub calls: Box<[Option<WasmCallee>]>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    pub tags: Vec<u32>,
    /// Element segments as reference slots; a dropped segment is empty.
    pub elems: Vec<Box<[u64]>>,
    /// Whether each data segment was dropped.
    pub dropped: Vec<bool>,
    pub exports: HashMap<String, Extern>,
    /// The instance's compiled code and VM context, if its module was
    /// compiled (`Engine::Jit`): `Store::call` runs its compiled functions
    /// there.
    #[cfg(weft_jit)]
    pub jit: Option<Arc<crate::jit::ctx::JitInstance>>,
}

impl InstanceData {
    /// A data segment's bytes as `memory.init` and `array.new_data` see
    /// them: empty once dropped.
    pub fn data_bytes(&self, data: u32) -> &[u8] {
        if self.dropped[data as usize] {
            &[]
        } else {
            &self.module.0.ast.datas[data as usize].init
        }
    }
}

/// What a host function sees of its caller.
pub struct Caller<'a> {
    /// The store, for reading and writing memories, tables and globals, and
    /// for calling back into WebAssembly. Putting another store in its
    /// place ends the running call with a trap ("a host function replaced
    /// the store"), as the running code's instances were this one's.
    pub store: &'a mut Store,
    /// The instance whose code made the call, if any.
    pub instance: Option<Instance>,
}

/// A host function: reads its arguments, writes its results (already sized
/// and typed with defaults), or traps.
pub type HostFn = dyn Fn(&mut Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync;

/// A function instance.
#[derive(Clone)]
pub(crate) enum FuncInst {
    /// A function defined by a module.
    Wasm {
        /// Its canonical type.
        ty: TypeId,
        /// The instance it closes over.
        instance: u32,
        /// Its translated body.
        code: Arc<Code>,
    },
    /// A function given by the host.
    Host {
        /// Its canonical type.
        ty: TypeId,
        /// The closure.
        f: Arc<HostFn>,
    },
}

impl FuncInst {
    pub(crate) fn ty(&self) -> TypeId {
        match self {
            FuncInst::Wasm { ty, .. } | FuncInst::Host { ty, .. } => *ty,
        }
    }
}

/// A global instance: its type and its value as slots.
#[derive(Clone, Debug)]
pub(crate) struct GlobalInst {
    pub ty: GlobalType,
    pub lo: u64,
    pub hi: u64,
}

/// An exception: its tag and its payload as slots.
#[derive(Clone, Debug)]
pub(crate) struct ExnInst {
    pub tag: u32,
    pub payload: Box<[u64]>,
}

/// The state all instances live in.
///
/// Handles ([`Func`], [`Memory`], ...) are plain indices into one store;
/// using a handle with another store is a logic error that yields
/// [`Error::BadHandle`] or refers to an unrelated entity, never undefined
/// behaviour.
#[derive(Default)]
pub struct Store {
    pub(crate) funcs: Vec<FuncInst>,
    pub(crate) tables: Vec<TableInst>,
    pub(crate) memories: Vec<MemoryInst>,
    pub(crate) globals: Vec<GlobalInst>,
    /// Every tag's canonical function type.
    pub(crate) tags: Vec<TypeId>,
    /// Every exception thrown so far (exception references index it).
    pub(crate) exns: Vec<ExnInst>,
    /// The exception a call that ended in `uncaught exception` left
    /// uncaught (an index into `exns`), so that compiled code that made the
    /// call can catch it (the JIT's helpers take it).
    pub(crate) thrown: Option<u32>,
    /// Every struct and array allocated so far.
    pub(crate) gc: Vec<crate::runtime::heap::GcObj>,
    /// Bytes the objects of `gc` take together (see `gc::object_bytes`).
    pub(crate) gc_bytes: u64,
    pub(crate) instances: Vec<InstanceData>,
    /// Every type of every module and host function, canonicalized.
    pub(crate) registry: TypeRegistry,
    pub(crate) limits: StoreLimits,
    /// What the store holds against its limits.
    pub(crate) usage: Usage,
    /// The last growth refused for a limit of the store's (see
    /// [`Store::limit_reached`]).
    pub(crate) limit_reached: Option<Error>,
    pub(crate) fuel: Option<u64>,
    /// Value and frame stacks kept between calls, so that a call allocates
    /// nothing once the stacks have grown.
    pub(crate) spare: Option<crate::interpreter::exec::state::Stacks>,
    /// Nesting of host-to-wasm re-entry, bounded by the call depth limit.
    pub(crate) depth: u32,
    /// The frames the last trap passed through, innermost first (see
    /// [`Store::trap_backtrace`]).
    pub(crate) trap_frames: Vec<crate::TrapFrame>,
    /// Whether instantiation checks every segment before writing any.
    pub(crate) segments_checked_first: bool,
    /// Whether some function of the store runs in the interpreter; until
    /// then, compiled functions hold a stub instead of their translation
    /// (see `instantiate::interpreted_code`).
    pub(crate) interprets: bool,
    /// How its memories are bounds-checked (see [`Store::with_memory_mode`]).
    pub(crate) memory_mode: MemoryMode,
    /// This store's identity: a host function holds `&mut Store` and may
    /// put another store in its place, which the running code (whose
    /// instances, frames and memories were this one's) must notice.
    pub(crate) id: StoreId,
}

/// A store's identity, new for every store made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StoreId(u64);

impl Default for StoreId {
    fn default() -> StoreId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        StoreId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Store {
    /// An empty store with default limits.
    pub fn new() -> Store {
        Store::default()
    }

    /// An empty store with the given limits.
    pub fn with_limits(limits: StoreLimits) -> Store {
        Store {
            limits,
            ..Store::default()
        }
    }

    /// An empty store with the given limits whose memories follow `mode`:
    /// with [`MemoryMode::Guarded`], each 32-bit memory (64 KiB pages)
    /// reserves 8 GiB of address space behind guard pages and the JIT
    /// checks no bounds on its loads and stores (see [`MemoryMode`]).
    pub fn with_memory_mode(limits: StoreLimits, mode: MemoryMode) -> Store {
        Store {
            limits,
            memory_mode: mode,
            ..Store::default()
        }
    }

    /// How the store's memories are bounds-checked.
    pub fn memory_mode(&self) -> MemoryMode {
        self.memory_mode
    }

    /// Sets the fuel: `Some(n)` allows `n` more units (one per call and
    /// per backward branch) before [`Trap::OutOfFuel`]; `None` is unlimited.
    pub fn set_fuel(&mut self, fuel: Option<u64>) {
        self.fuel = fuel;
    }

    /// Chooses how instantiation initializes active segments. Off (the
    /// default, Wasm 2.0 and later): segment by segment, in order, trapping
    /// with `out of bounds table access`/`out of bounds memory access` at
    /// the first that does not fit and keeping what earlier ones wrote. On
    /// (Wasm 1.0 as published): every element segment and every data
    /// segment is checked first, and one that does not fit fails the
    /// instantiation with [`Error::SegmentDoesNotFit`] before anything is
    /// written.
    pub fn set_segments_checked_first(&mut self, on: bool) {
        self.segments_checked_first = on;
    }

    /// Charges the fuel of a bulk operation touching `len` bytes (of
    /// memory, `per` = 16) or elements (of a table or an array, `per` =
    /// 1): one unit per `per`, so that fuel bounds its work as it bounds a
    /// loop's. Charged before the work; nothing when fuel is off.
    pub(crate) fn charge_bulk(&mut self, len: u64, per: u64) -> Result<(), Trap> {
        if let Some(fuel) = self.fuel.as_mut() {
            let units = len.div_ceil(per);
            if units > *fuel {
                *fuel = 0;
                return Err(Trap::OutOfFuel);
            }
            *fuel -= units;
        }
        Ok(())
    }

    /// The last `memory.grow` or `table.grow` (or host grow) that failed
    /// because of the store's limits rather than the memory's or table's
    /// own maximum, as the error it would be: the spec lets growth fail
    /// (-1), so a program goes on and may trap later; this tells an
    /// embedder why it ran short.
    pub fn limit_reached(&self) -> Option<&Error> {
        self.limit_reached.as_ref()
    }

    /// The WebAssembly frames the last trap of a call from the host passed
    /// through, innermost first (across host functions that called back
    /// into WebAssembly); empty after a call that did not trap.
    pub fn trap_backtrace(&self) -> &[crate::TrapFrame] {
        &self.trap_frames
    }

    /// The remaining fuel, if fuel is on.
    pub fn fuel(&self) -> Option<u64> {
        self.fuel
    }

    /// Canonicalizes a function type given by the host (a group of its own).
    pub(crate) fn intern(&mut self, ty: &FuncType) -> TypeId {
        let types = [SubType::plain(CompositeType::Func(ty.clone()))];
        let group = RecGroup {
            start: 0,
            len: 1,
            explicit: false,
        };
        self.registry.intern_group(&types, group, &[])
    }

    /// The canonical ids of a module's types, by type index.
    pub(crate) fn intern_module(&mut self, m: &weft_ast::Module) -> Vec<TypeId> {
        let mut ids = Vec::with_capacity(m.types.len());
        let covered: u64 = m.rec_groups.iter().map(|g| g.len as u64).sum();
        let groups: Vec<RecGroup> = if covered == m.types.len() as u64 {
            m.rec_groups.clone()
        } else {
            // A hand-built AST that did not record its groups: one type each.
            (0..m.types.len() as u32)
                .map(|start| RecGroup {
                    start,
                    len: 1,
                    explicit: false,
                })
                .collect()
        };
        for g in groups {
            let first = self.registry.intern_group(&m.types, g, &ids);
            ids.extend((0..g.len).map(|k| CanonId(first.0 + k)));
        }
        ids
    }

    /// A value type of a canonical function type with its concrete
    /// reference types replaced by their hierarchy's top (`func` or
    /// `any`), for converting slots to [`Value`]s.
    pub(crate) fn resolve(&self, t: ValType) -> ValType {
        match t {
            ValType::Ref(rt) => match rt.heap {
                weft_ast::HeapType::Concrete(id) | weft_ast::HeapType::Exact(id) => {
                    let top = match self.registry.get(CanonId(id)).map(|t| &t.composite) {
                        Some(CompositeType::Func(_)) | None => weft_ast::AbsHeap::Func,
                        Some(_) => weft_ast::AbsHeap::Any,
                    };
                    ValType::Ref(weft_ast::RefType::new(
                        rt.nullable,
                        weft_ast::HeapType::Abstract(top),
                    ))
                }
                _ => t,
            },
            _ => t,
        }
    }

    /// The function type of a canonical id (the empty type for ids that are
    /// not function types, which validation never lets reach a call).
    pub(crate) fn type_of(&self, id: TypeId) -> &FuncType {
        static EMPTY: FuncType = FuncType {
            params: Vec::new(),
            results: Vec::new(),
        };
        match self.registry.get(id).map(|t| &t.composite) {
            Some(CompositeType::Func(f)) => f,
            _ => &EMPTY,
        }
    }

    /// Creates a host function of the given type.
    pub fn func<F>(&mut self, ty: FuncType, f: F) -> Func
    where
        F: Fn(&mut Caller<'_>, &[Value], &mut [Value]) -> Result<(), Trap> + Send + Sync + 'static,
    {
        let ty = self.intern(&ty);
        self.funcs.push(FuncInst::Host { ty, f: Arc::new(f) });
        Func(self.funcs.len() as u32 - 1)
    }

    /// The type of a function.
    pub fn func_type(&self, f: Func) -> Result<&FuncType, Error> {
        let inst = self.funcs.get(f.0 as usize).ok_or(Error::BadHandle)?;
        Ok(self.type_of(inst.ty()))
    }

    /// Creates a memory of the given type, zero-filled at its minimum size.
    pub fn memory(&mut self, ty: MemoryType) -> Result<Memory, Error> {
        self.add_memory(ty).map(Memory)
    }

    /// Adds a memory of type `ty` within the store's limit: its address.
    pub(crate) fn add_memory(&mut self, ty: MemoryType) -> Result<u32, Error> {
        let (limit, used) = (self.limits.max_memory_bytes, self.usage.memory_bytes);
        let mem = MemoryInst::new(ty, limit.saturating_sub(used), self.memory_mode).map_err(
            |needed| Error::ResourceLimit {
                resource: Resource::MemoryBytes,
                limit,
                needed: used.saturating_add(needed),
            },
        )?;
        self.usage.memory_bytes += mem.data.len() as u64;
        self.memories.push(mem);
        Ok(self.memories.len() as u32 - 1)
    }

    /// Grows memory `addr` by `delta` pages within the store's limit: the
    /// old size, or `None` (as `memory.grow` gives -1).
    pub(crate) fn grow_memory(&mut self, addr: usize, delta: u64) -> Option<u64> {
        let budget = self
            .limits
            .max_memory_bytes
            .saturating_sub(self.usage.memory_bytes);
        let mem = &mut self.memories[addr];
        let before = mem.data.len();
        let old = mem.grow(delta, budget);
        self.usage.memory_bytes += (mem.data.len() - before) as u64;
        match old {
            Ok(old) => Some(old),
            Err(short) => {
                if let Some(added) = short {
                    self.limit_reached = Some(Error::ResourceLimit {
                        resource: Resource::MemoryBytes,
                        limit: self.limits.max_memory_bytes,
                        needed: self.usage.memory_bytes.saturating_add(added),
                    });
                }
                None
            }
        }
    }

    /// Adds a table of type `ty`, every element `init`, within the store's
    /// limit: its address.
    pub(crate) fn add_table(&mut self, ty: TableType, init: u64) -> Result<u32, Error> {
        let (limit, used) = (self.limits.max_table_elements, self.usage.table_elements);
        let table = TableInst::new(ty, init, limit.saturating_sub(used)).map_err(|needed| {
            Error::ResourceLimit {
                resource: Resource::TableElements,
                limit,
                needed: used.saturating_add(needed),
            }
        })?;
        self.usage.table_elements += table.elems.len() as u64;
        self.tables.push(table);
        Ok(self.tables.len() as u32 - 1)
    }

    /// Grows table `addr` by `delta` elements set to `init` within the
    /// store's limit: the old size, or `None` (as `table.grow` gives -1).
    pub(crate) fn grow_table(&mut self, addr: usize, delta: u64, init: u64) -> Option<u64> {
        let budget = self
            .limits
            .max_table_elements
            .saturating_sub(self.usage.table_elements);
        let table = &mut self.tables[addr];
        let before = table.elems.len();
        let old = table.grow(delta, init, budget);
        self.usage.table_elements += (table.elems.len() - before) as u64;
        match old {
            Ok(old) => Some(old),
            Err(short) => {
                if short {
                    self.limit_reached = Some(Error::ResourceLimit {
                        resource: Resource::TableElements,
                        limit: self.limits.max_table_elements,
                        needed: self.usage.table_elements.saturating_add(delta),
                    });
                }
                None
            }
        }
    }

    /// A memory's bytes.
    pub fn memory_data(&self, m: Memory) -> Result<&[u8], Error> {
        Ok(&self
            .memories
            .get(m.0 as usize)
            .ok_or(Error::BadHandle)?
            .data)
    }

    /// A memory's bytes, writable.
    pub fn memory_data_mut(&mut self, m: Memory) -> Result<&mut [u8], Error> {
        Ok(&mut self
            .memories
            .get_mut(m.0 as usize)
            .ok_or(Error::BadHandle)?
            .data)
    }

    /// Whether a memory is a guarded reservation ([`MemoryMode::Guarded`]
    /// and a memory it applies to, whose reservation succeeded): compiled
    /// code accesses it without bounds checks.
    pub fn memory_is_guarded(&self, m: Memory) -> Result<bool, Error> {
        let mem = self.memories.get(m.0 as usize).ok_or(Error::BadHandle)?;
        #[cfg(weft_jit)]
        return Ok(mem.is_guarded());
        #[cfg(not(weft_jit))]
        {
            let _ = mem;
            Ok(false)
        }
    }

    /// A memory's current type (its minimum is its current size in pages).
    pub fn memory_type(&self, m: Memory) -> Result<MemoryType, Error> {
        Ok(self
            .memories
            .get(m.0 as usize)
            .ok_or(Error::BadHandle)?
            .current_type())
    }

    /// Grows a memory by `delta` pages; the old size in pages, or `None` if
    /// it cannot grow that much.
    pub fn memory_grow(&mut self, m: Memory, delta: u64) -> Result<Option<u64>, Error> {
        if m.0 as usize >= self.memories.len() {
            return Err(Error::BadHandle);
        }
        Ok(self.grow_memory(m.0 as usize, delta))
    }

    /// Creates a table of the given type with every element `init`.
    pub fn table(&mut self, ty: TableType, init: Value) -> Result<Table, Error> {
        if !init.has_type(ValType::Ref(ty.elem)) {
            return Err(Error::ArgumentMismatch);
        }
        self.add_table(ty, init.to_slots().0).map(Table)
    }

    /// A table's current type (its minimum is its current size).
    pub fn table_type(&self, t: Table) -> Result<TableType, Error> {
        Ok(self
            .tables
            .get(t.0 as usize)
            .ok_or(Error::BadHandle)?
            .current_type())
    }

    /// A table's element, or `None` when out of bounds.
    pub fn table_get(&self, t: Table, index: u64) -> Result<Option<Value>, Error> {
        let table = self.tables.get(t.0 as usize).ok_or(Error::BadHandle)?;
        let elem = self.resolve(ValType::Ref(table.ty.elem));
        Ok(usize::try_from(index)
            .ok()
            .and_then(|i| table.elems.get(i))
            .map(|slot| Value::from_slots(elem, *slot, 0)))
    }

    /// Sets a table's element; `Ok(false)` when the index is out of bounds.
    pub fn table_set(&mut self, t: Table, index: u64, value: Value) -> Result<bool, Error> {
        let elem = self.resolve(ValType::Ref(self.table_type(t)?.elem));
        if !value.has_type(elem) {
            return Err(Error::ArgumentMismatch);
        }
        let table = &mut self.tables[t.0 as usize];
        match usize::try_from(index)
            .ok()
            .and_then(|i| table.elems.get_mut(i))
        {
            Some(slot) => {
                *slot = value.to_slots().0;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Grows a table by `delta` elements set to `init`; the old size, or
    /// `None` if it cannot grow that much.
    pub fn table_grow(&mut self, t: Table, delta: u64, init: Value) -> Result<Option<u64>, Error> {
        let elem = self.resolve(ValType::Ref(self.table_type(t)?.elem));
        if !init.has_type(elem) {
            return Err(Error::ArgumentMismatch);
        }
        Ok(self.grow_table(t.0 as usize, delta, init.to_slots().0))
    }

    /// Creates a global of the given type and initial value.
    pub fn global(&mut self, ty: GlobalType, value: Value) -> Result<Global, Error> {
        if !value.has_type(ty.val) {
            return Err(Error::ArgumentMismatch);
        }
        let (lo, hi) = value.to_slots();
        self.globals.push(GlobalInst { ty, lo, hi });
        Ok(Global(self.globals.len() as u32 - 1))
    }

    /// A global's value.
    pub fn global_get(&self, g: Global) -> Result<Value, Error> {
        let g = self.globals.get(g.0 as usize).ok_or(Error::BadHandle)?;
        Ok(Value::from_slots(self.resolve(g.ty.val), g.lo, g.hi))
    }

    /// Sets a mutable global.
    pub fn global_set(&mut self, g: Global, value: Value) -> Result<(), Error> {
        let ty = self.resolve(
            self.globals
                .get(g.0 as usize)
                .ok_or(Error::BadHandle)?
                .ty
                .val,
        );
        let g = self.globals.get_mut(g.0 as usize).ok_or(Error::BadHandle)?;
        if !g.ty.mutable || !value.has_type(ty) {
            return Err(Error::ArgumentMismatch);
        }
        (g.lo, g.hi) = value.to_slots();
        Ok(())
    }

    /// A global's type.
    pub fn global_type(&self, g: Global) -> Result<GlobalType, Error> {
        Ok(self.globals.get(g.0 as usize).ok_or(Error::BadHandle)?.ty)
    }

    /// Creates an exception tag whose payload has the parameter types of
    /// `ty` (its results must be empty).
    pub fn tag(&mut self, ty: FuncType) -> Tag {
        let ty = self.intern(&ty);
        self.tags.push(ty);
        Tag(self.tags.len() as u32 - 1)
    }

    /// An instance's export by name.
    pub fn export(&self, instance: Instance, name: &str) -> Option<Extern> {
        self.instances
            .get(instance.0 as usize)?
            .exports
            .get(name)
            .copied()
    }

    /// An instance's exported function by name.
    pub fn export_func(&self, instance: Instance, name: &str) -> Option<Func> {
        match self.export(instance, name)? {
            Extern::Func(f) => Some(f),
            _ => None,
        }
    }

    /// An instance's exports, in no particular order.
    pub fn exports(&self, instance: Instance) -> impl Iterator<Item = (&str, Extern)> {
        self.instances
            .get(instance.0 as usize)
            .into_iter()
            .flat_map(|i| i.exports.iter().map(|(k, v)| (k.as_str(), *v)))
    }

    /// The frame of function `func` of instance `inst` at instruction `instr`
    /// of its body, named from the instance's module.
    pub(crate) fn trap_frame(&self, inst: u32, func: u32, instr: u32) -> TrapFrame {
        let ast = &self.instances[inst as usize].module.0.ast;
        let imported = ast
            .imports
            .iter()
            .filter(|i| {
                matches!(
                    i.desc,
                    weft_ast::ImportDesc::Func(_) | weft_ast::ImportDesc::FuncExact(_)
                )
            })
            .count();
        let mnemonic = (func as usize)
            .checked_sub(imported)
            .and_then(|i| ast.funcs.get(i))
            .and_then(|f| ast.code.get(f.body.start as usize + instr as usize))
            .map_or("?", |i| i.name());
        TrapFrame {
            instance: Instance(inst),
            func,
            name: weft_ast::Names::get(&ast.names.funcs, func).map(Into::into),
            instr,
            mnemonic,
        }
    }
}
