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
        let defined = |m: &Module| m.globals.len();
        self.chunks(defined, |m, a, b| {
            let mut c = m.clone();
            let base = c.num_imports(ExternKind::Global) as usize;
            for g in (a..b).rev() {
                remove_global(&mut c, (base + g) as u32);
            }
            c
        });
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
/// `unreachable` (which makes a constant expression invalid, so such a
/// candidate is rejected).
fn renumber(m: &mut Module, index: u32, get: impl Fn(&mut Instr) -> Option<&mut u32>) {
    for ins in &mut m.code {
        if let Some(x) = get(ins) {
            if *x == index {
                *ins = Instr::Unreachable;
            } else if *x > index {
                *x -= 1;
            }
        }
    }
    m.names = Default::default();
}

fn remove_func(m: &mut Module, f: u32) {
    renumber(m, f, |i| match i {
        Instr::Call { func } | Instr::ReturnCall { func } | Instr::RefFunc { func } => Some(func),
        _ => None,
    });
    m.exports
        .retain(|e| !(e.kind == ExternKind::Func && e.index == f));
    for e in &mut m.exports {
        if e.kind == ExternKind::Func && e.index > f {
            e.index -= 1;
        }
    }
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
    let imported = m.num_imports(ExternKind::Func);
    if f < imported {
        let mut k = 0;
        m.imports.retain(|imp| {
            if imp.desc.kind() == ExternKind::Func {
                k += 1;
                k - 1 != f
            } else {
                true
            }
        });
    } else {
        m.funcs.remove((f - imported) as usize);
    }
}

fn remove_elem(m: &mut Module, e: u32) {
    renumber(m, e, |i| match i {
        Instr::TableInit { elem, .. }
        | Instr::ElemDrop { elem }
        | Instr::ArrayNewElem { elem, .. }
        | Instr::ArrayInitElem { elem, .. } => Some(elem),
        _ => None,
    });
    m.elems.remove(e as usize);
}

fn remove_data(m: &mut Module, d: u32) {
    renumber(m, d, |i| match i {
        Instr::MemoryInit { data, .. }
        | Instr::DataDrop { data }
        | Instr::ArrayNewData { data, .. }
        | Instr::ArrayInitData { data, .. } => Some(data),
        _ => None,
    });
    m.datas.remove(d as usize);
    if let Some(n) = &mut m.data_count {
        *n = m.datas.len() as u32;
    }
}

fn remove_global(m: &mut Module, g: u32) {
    renumber(m, g, |i| match i {
        Instr::GlobalGet { global } | Instr::GlobalSet { global } => Some(global),
        _ => None,
    });
    m.exports
        .retain(|e| !(e.kind == ExternKind::Global && e.index == g));
    for e in &mut m.exports {
        if e.kind == ExternKind::Global && e.index > g {
            e.index -= 1;
        }
    }
    let imported = m.num_imports(ExternKind::Global);
    m.globals.remove((g - imported) as usize);
}
