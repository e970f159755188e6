//! `shrink`: reduces a module while a predicate holds, offering the
//! predicate only valid candidates.
//!
//! The reducer runs fixed passes in a fixed order until none makes
//! progress, so the same module and predicate always give the same result:
//! exports, the start function, whole functions (every index into the
//! function space renumbered; a call or `ref.func` of a removed function
//! becomes `unreachable`), element and data segments, globals, trailing
//! recursion groups, and in each body whole bodies, runs of instructions,
//! whole blocks (replaced by `unreachable`, which any operand and result
//! types allow), block markers, dead code after `unreachable`; last,
//! constants are simplified to zero. Each candidate is checked by
//! weft-validator first; an invalid one is never shown to the predicate,
//! so the cost is in the predicate alone.

use weft_ast::{
    DataMode, ElemItems, ElemMode, Expr, ExternKind, Features, Ieee32, Ieee64, Instr, Module, V128,
};

/// Where the reducer is, for a progress line.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// The pass running.
    pub pass: &'static str,
    /// Candidates shown to the predicate so far.
    pub tries: usize,
    /// Candidates accepted so far.
    pub accepted: usize,
    /// The current module's function count (imports included).
    pub funcs: usize,
    /// The current module's instruction count (all bodies).
    pub instrs: usize,
}

struct Reducer<'p, P, R> {
    m: Module,
    features: Features,
    interesting: &'p mut P,
    report: &'p mut R,
    tries: usize,
    accepted: usize,
    pass: &'static str,
}

/// Reduces `module` while `interesting` holds of it, trying only modules
/// valid under `features`; `report` hears of every accepted candidate.
/// `module` itself should be interesting (otherwise it comes back as it
/// is, compacted).
pub fn shrink<P, R>(module: Module, features: Features, mut interesting: P, mut report: R) -> Module
where
    P: FnMut(&Module) -> bool,
    R: FnMut(&Progress),
{
    let mut r = Reducer {
        m: compact(&module),
        features,
        interesting: &mut interesting,
        report: &mut report,
        tries: 0,
        accepted: 0,
        pass: "start",
    };
    loop {
        let before = r.accepted;
        r.exports();
        r.start();
        r.funcs();
        r.segments();
        r.globals();
        r.entities();
        r.types();
        r.bodies();
        r.constants();
        if r.accepted == before {
            break;
        }
    }
    r.m
}

impl<P, R> Reducer<'_, P, R>
where
    P: FnMut(&Module) -> bool,
    R: FnMut(&Progress),
{
    /// Takes `cand` if it is valid and interesting.
    fn try_take(&mut self, cand: Module) -> bool {
        if weft_validator::validate(&cand, self.features).is_err() {
            return false;
        }
        self.tries += 1;
        if !(self.interesting)(&cand) {
            return false;
        }
        self.m = compact(&cand);
        self.accepted += 1;
        let progress = Progress {
            pass: self.pass,
            tries: self.tries,
            accepted: self.accepted,
            funcs: self.m.funcs.len() + self.m.num_imports(ExternKind::Func) as usize,
            instrs: self.m.funcs.iter().map(|f| f.body.len()).sum(),
        };
        (self.report)(&progress);
        true
    }

    /// Removes items `0..n` of some list by halving chunks (ddmin's
    /// complement step): `remove(m, range)` makes the candidate.
    fn chunks(
        &mut self,
        len: impl Fn(&Module) -> usize,
        remove: impl Fn(&Module, usize, usize) -> Module,
    ) {
        let mut chunk = len(&self.m).max(1);
        loop {
            let mut i = 0;
            while i < len(&self.m) {
                let end = (i + chunk).min(len(&self.m));
                let cand = remove(&self.m, i, end);
                if !self.try_take(cand) {
                    i = end;
                }
            }
            if chunk == 1 {
                break;
            }
            chunk = chunk.div_ceil(2);
        }
    }

    fn exports(&mut self) {
        self.pass = "exports";
        self.chunks(
            |m| m.exports.len(),
            |m, a, b| {
                let mut c = m.clone();
                c.exports.drain(a..b);
                c
            },
        );
    }

    fn start(&mut self) {
        self.pass = "start";
        if self.m.start.is_some() {
            let mut c = self.m.clone();
            c.start = None;
            self.try_take(c);
        }
    }

    /// Function indices `a..b` (imports first) removed.
    fn funcs(&mut self) {
        self.pass = "functions";
        let total = |m: &Module| m.funcs.len() + m.num_imports(ExternKind::Func) as usize;
        self.chunks(total, |m, a, b| {
            let mut c = m.clone();
            for f in (a..b).rev() {
                remove_func(&mut c, f as u32);
            }
            c
        });
    }

    fn segments(&mut self) {
        self.pass = "segments";
        self.chunks(
            |m| m.elems.len(),
            |m, a, b| {
                let mut c = m.clone();
                for e in (a..b).rev() {
                    remove_elem(&mut c, e as u32);
                }
                c
            },
        );
        self.chunks(
            |m| m.datas.len(),
            |m, a, b| {
                let mut c = m.clone();
                for d in (a..b).rev() {
                    remove_data(&mut c, d as u32);
                }
                c
            },
        );
    }

    fn globals(&mut self) {
        self.pass = "globals";
        let total = |m: &Module| m.globals.len() + m.num_imports(ExternKind::Global) as usize;
        self.chunks(total, |m, a, b| {
            let mut c = m.clone();
            for g in (a..b).rev() {
                remove_global(&mut c, g as u32);
            }
            c
        });
    }

    /// Tables, memories and tags (imported or defined), by halving runs.
    fn entities(&mut self) {
        self.pass = "entities";
        let space = |m: &Module, kind: ExternKind| {
            m.num_imports(kind) as usize
                + match kind {
                    ExternKind::Table => m.tables.len(),
                    ExternKind::Memory => m.memories.len(),
                    _ => m.tags.len(),
                }
        };
        for (kind, remove) in [
            (ExternKind::Table, remove_table as fn(&mut Module, u32)),
            (ExternKind::Memory, remove_memory),
            (ExternKind::Tag, remove_tag),
        ] {
            self.chunks(
                |m| space(m, kind),
                |m, a, b| {
                    let mut c = m.clone();
                    for i in (a..b).rev() {
                        remove(&mut c, i as u32);
                    }
                    c
                },
            );
        }
    }

    fn types(&mut self) {
        self.pass = "types";
        while let Some(g) = self.m.rec_groups.last().copied() {
            let mut c = self.m.clone();
            c.rec_groups.pop();
            c.types.truncate(g.start as usize);
            if !self.try_take(c) {
                break;
            }
        }
    }

    fn bodies(&mut self) {
        self.pass = "bodies";
        for f in 0..self.m.funcs.len() {
            self.body(f);
        }
    }

    fn set_body(m: &Module, f: usize, code: Vec<Instr>) -> Module {
        let mut c = m.clone();
        let e = c.push_expr(code);
        c.funcs[f].body = e;
        c
    }

    fn body(&mut self, f: usize) {
        let code = |m: &Module| m.instrs(m.funcs[f].body).to_vec();
        // The whole body.
        if code(&self.m).len() > 2 {
            let cand = Self::set_body(&self.m, f, vec![Instr::Unreachable, Instr::End]);
            if self.try_take(cand) {
                return;
            }
        }
        // Runs of instructions, halving.
        let len = |m: &Module| m.funcs[f].body.len().saturating_sub(1);
        self.chunks(len, |m, a, b| {
            let mut c = code(m);
            c.drain(a..b);
            Self::set_body(m, f, c)
        });
        // Whole blocks (or single instructions) as `unreachable`, then
        // block markers alone, then dead code after `unreachable`.
        let mut i = 0;
        while i + 1 < code(&self.m).len() {
            let body = code(&self.m);
            let end = block_end(&body, i);
            if !(is_marker(&body[i]) || end == i && body[i] == Instr::Unreachable) {
                let mut c = body.clone();
                c.splice(i..=end, [Instr::Unreachable]);
                if self.try_take(Self::set_body(&self.m, f, c)) {
                    i += 1;
                    continue;
                }
            }
            if end > i {
                let mut c = body.clone();
                c.remove(end);
                c.remove(i);
                if self.try_take(Self::set_body(&self.m, f, c)) {
                    continue;
                }
            }
            if body[i] == Instr::Unreachable {
                let stop = enclosing_end(&body, i + 1);
                if stop > i + 1 {
                    let mut c = body.clone();
                    c.drain(i + 1..stop);
                    self.try_take(Self::set_body(&self.m, f, c));
                }
            }
            i += 1;
        }
    }

    fn constants(&mut self) {
        self.pass = "constants";
        for f in 0..self.m.funcs.len() {
            let mut i = 0;
            while i < self.m.funcs[f].body.len() {
                let body = self.m.instrs(self.m.funcs[f].body).to_vec();
                let zero = match &body[i] {
                    Instr::I32Const { value } if *value != 0 => Some(Instr::I32Const { value: 0 }),
                    Instr::I64Const { value } if *value != 0 => Some(Instr::I64Const { value: 0 }),
                    Instr::F32Const { value } if value.0 != 0 => {
                        Some(Instr::F32Const { value: Ieee32(0) })
                    }
                    Instr::F64Const { value } if value.0 != 0 => {
                        Some(Instr::F64Const { value: Ieee64(0) })
                    }
                    Instr::V128Const { value } if value.0 != [0; 16] => Some(Instr::V128Const {
                        value: Box::new(V128([0; 16])),
                    }),
                    _ => None,
                };
                if let Some(z) = zero {
                    let mut c = body;
                    c[i] = z;
                    self.try_take(Self::set_body(&self.m, f, c));
                }
                i += 1;
            }
        }
    }
}

/// Whether an instruction only marks structure (`else`, `end`, ...).
fn is_marker(i: &Instr) -> bool {
    matches!(
        i,
        Instr::Else | Instr::End | Instr::Catch { .. } | Instr::CatchAll | Instr::Delegate { .. }
    )
}

fn opens(i: &Instr) -> bool {
    matches!(
        i,
        Instr::Block { .. }
            | Instr::Loop { .. }
            | Instr::If { .. }
            | Instr::Try { .. }
            | Instr::TryTable { .. }
    )
}

/// The index of the `end` (or `delegate`) closing the block opened at
/// `i`; `i` itself for any other instruction.
fn block_end(body: &[Instr], i: usize) -> usize {
    if !opens(&body[i]) {
        return i;
    }
    let mut depth = 0usize;
    for (k, ins) in body.iter().enumerate().skip(i) {
        if opens(ins) {
            depth += 1;
        } else if matches!(ins, Instr::End | Instr::Delegate { .. }) {
            depth -= 1;
            if depth == 0 {
                return k;
            }
        }
    }
    i
}

/// The index of the first marker at nesting zero from `from` on (the end,
/// `else` or `catch` of the block containing `from`).
fn enclosing_end(body: &[Instr], from: usize) -> usize {
    let mut depth = 0usize;
    for (k, ins) in body.iter().enumerate().skip(from) {
        if opens(ins) {
            depth += 1;
        } else if is_marker(ins) {
            if depth == 0 {
                return k;
            }
            if matches!(ins, Instr::End | Instr::Delegate { .. }) {
                depth -= 1;
            }
        }
    }
    body.len().saturating_sub(1)
}

/// A copy of `m` whose code holds only the live spans, in order.
pub fn compact(m: &Module) -> Module {
    let mut c = m.clone();
    c.code = Vec::with_capacity(m.code.len());
    let mut copy = |e: Expr| -> Expr {
        let start = c.code.len() as u32;
        c.code.extend_from_slice(m.instrs(e));
        Expr {
            start,
            end: c.code.len() as u32,
        }
    };
    for g in &mut c.globals {
        g.init = copy(g.init);
    }
    for t in &mut c.tables {
        if let Some(e) = t.init {
            t.init = Some(copy(e));
        }
    }
    for el in &mut c.elems {
        if let ElemMode::Active { offset, .. } = &mut el.mode {
            *offset = copy(*offset);
        }
        if let ElemItems::Exprs(es) = &mut el.items {
            for e in es {
                *e = copy(*e);
            }
        }
    }
    for d in &mut c.datas {
        if let DataMode::Active { offset, .. } = &mut d.mode {
            *offset = copy(*offset);
        }
    }
    for f in &mut c.funcs {
        f.body = copy(f.body);
    }
    c
}

/// Renumbers one index space in all code: `index` removed, later ones
/// moved down; an instruction naming the removed index becomes
/// `unreachable` (which makes a constant expression or a block marker
/// invalid, so such a candidate is rejected).
fn renumber(m: &mut Module, index: u32, refs: for<'a> fn(&'a mut Instr) -> Vec<&'a mut u32>) {
    for ins in &mut m.code {
        let mut gone = false;
        for x in refs(ins) {
            if *x == index {
                gone = true;
            } else if *x > index {
                *x -= 1;
            }
        }
        if gone {
            *ins = Instr::Unreachable;
        }
    }
    m.names = Default::default();
}

/// Renumbers the exports of one kind, dropping those of `index`.
fn renumber_exports(m: &mut Module, kind: ExternKind, index: u32) {
    m.exports.retain(|e| !(e.kind == kind && e.index == index));
    for e in &mut m.exports {
        if e.kind == kind && e.index > index {
            e.index -= 1;
        }
    }
}

/// Removes entity `index` of a kind from the imports or the definitions
/// (`defined` removes the `k`-th definition).
fn remove_entity(
    m: &mut Module,
    kind: ExternKind,
    index: u32,
    defined: impl FnOnce(&mut Module, usize),
) {
    let imported = m.num_imports(kind);
    if index < imported {
        let mut k = 0;
        m.imports.retain(|imp| {
            if imp.desc.kind() == kind {
                k += 1;
                k - 1 != index
            } else {
                true
            }
        });
    } else {
        defined(m, (index - imported) as usize);
    }
}

fn func_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::Call { func } | Instr::ReturnCall { func } | Instr::RefFunc { func } => vec![func],
        _ => Vec::new(),
    }
}

fn elem_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::TableInit { elem, .. }
        | Instr::ElemDrop { elem }
        | Instr::ArrayNewElem { elem, .. }
        | Instr::ArrayInitElem { elem, .. } => vec![elem],
        _ => Vec::new(),
    }
}

fn data_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::MemoryInit { data, .. }
        | Instr::DataDrop { data }
        | Instr::ArrayNewData { data, .. }
        | Instr::ArrayInitData { data, .. } => vec![data],
        _ => Vec::new(),
    }
}

fn global_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::GlobalGet { global } | Instr::GlobalSet { global } => vec![global],
        _ => Vec::new(),
    }
}

fn table_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::CallIndirect { table, .. }
        | Instr::ReturnCallIndirect { table, .. }
        | Instr::TableGet { table }
        | Instr::TableSet { table }
        | Instr::TableSize { table }
        | Instr::TableGrow { table }
        | Instr::TableFill { table }
        | Instr::TableInit { table, .. } => vec![table],
        Instr::TableCopy { dst, src } => vec![dst, src],
        _ => Vec::new(),
    }
}

fn memory_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::MemorySize { mem }
        | Instr::MemoryGrow { mem }
        | Instr::MemoryFill { mem }
        | Instr::MemoryInit { mem, .. } => vec![mem],
        Instr::MemoryCopy { dst, src } => vec![dst, src],
        _ => Vec::new(),
    }
}

fn tag_refs(i: &mut Instr) -> Vec<&mut u32> {
    match i {
        Instr::Throw { tag } | Instr::Catch { tag } => vec![tag],
        Instr::TryTable { table } => table
            .catches
            .iter_mut()
            .filter_map(|c| match c {
                weft_ast::Catch::One { tag, .. } | weft_ast::Catch::OneRef { tag, .. } => Some(tag),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn remove_table(m: &mut Module, t: u32) {
    renumber(m, t, table_refs);
    renumber_exports(m, ExternKind::Table, t);
    for el in &mut m.elems {
        if let ElemMode::Active { table, .. } = &mut el.mode
            && *table > t
        {
            *table -= 1;
        }
    }
    remove_entity(m, ExternKind::Table, t, |m, k| {
        m.tables.remove(k);
    });
}

fn remove_memory(m: &mut Module, mi: u32) {
    renumber(m, mi, memory_refs);
    // Memory arguments are packed: their index is copied, not borrowed.
    for ins in &mut m.code {
        if let Some(arg) = crate::instrs::memarg_mut(ins) {
            let memory = arg.memory;
            if memory == mi {
                *ins = Instr::Unreachable;
            } else if memory > mi {
                arg.memory = memory - 1;
            }
        }
    }
    renumber_exports(m, ExternKind::Memory, mi);
    for d in &mut m.datas {
        if let DataMode::Active { memory, .. } = &mut d.mode
            && *memory > mi
        {
            *memory -= 1;
        }
    }
    remove_entity(m, ExternKind::Memory, mi, |m, k| {
        m.memories.remove(k);
    });
}

fn remove_tag(m: &mut Module, t: u32) {
    renumber(m, t, tag_refs);
    renumber_exports(m, ExternKind::Tag, t);
    remove_entity(m, ExternKind::Tag, t, |m, k| {
        m.tags.remove(k);
    });
}

fn remove_func(m: &mut Module, f: u32) {
    renumber(m, f, func_refs);
    renumber_exports(m, ExternKind::Func, f);
    m.start = match m.start {
        Some(s) if s == f => None,
        Some(s) if s > f => Some(s - 1),
        s => s,
    };
    for el in &mut m.elems {
        if let ElemItems::Funcs(fs) = &mut el.items {
            fs.retain(|&x| x != f);
            for x in fs {
                if *x > f {
                    *x -= 1;
                }
            }
        }
    }
    remove_entity(m, ExternKind::Func, f, |m, k| {
        m.funcs.remove(k);
    });
}

fn remove_elem(m: &mut Module, e: u32) {
    renumber(m, e, elem_refs);
    m.elems.remove(e as usize);
}

fn remove_data(m: &mut Module, d: u32) {
    renumber(m, d, data_refs);
    m.datas.remove(d as usize);
    if let Some(n) = &mut m.data_count {
        *n = m.datas.len() as u32;
    }
}

fn remove_global(m: &mut Module, g: u32) {
    renumber(m, g, global_refs);
    renumber_exports(m, ExternKind::Global, g);
    remove_entity(m, ExternKind::Global, g, |m, k| {
        m.globals.remove(k);
    });
}
