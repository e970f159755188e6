//! Folded instructions: `(i32.add (local.get 0) (i32.const 1))` and
//! `(block ...)`, `(if (cond) (then ...) (else ...))`.
//!
//! Folding is only a way of writing the same sequence: `(op a b)` means
//! `a b op`. So the folder groups each instruction with the operand
//! expressions just before it when their result counts add up to its
//! operand count (from [`arity`](crate::arity)), and otherwise leaves
//! things as separate expressions; the flattened text is always the
//! original sequence. Everything is iterative, so deep nesting cannot
//! overflow the stack.

use std::fmt::{self, Write};

use weft_ast::{BlockType, Instr};

use crate::arity::arity;
use crate::body::opens_block;
use crate::printer::Printer;

/// No node: the end of a child or sibling chain.
const NONE: u32 = u32::MAX;

/// An expression node: an instruction and its operand expressions, kept as
/// a first-child / next-sibling chain in one arena per function.
#[derive(Clone, Copy)]
struct Node {
    /// Index of the instruction in the body.
    at: u32,
    /// Values it leaves on the stack (0 when unknown: never an operand).
    results: u32,
    first_child: u32,
    next_sibling: u32,
}

/// A folded block being printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `block`, `loop`, `try_table`: one level of contents.
    Plain,
    /// `if` (with `then` / `else` inside): contents two levels in.
    Arms,
    /// The legacy `try`, kept flat: `try`, `catch`, `end` on their own
    /// lines, one level of contents.
    Flat,
}

/// The expressions of one block level not yet printed.
struct Folder {
    nodes: Vec<Node>,
    pending: Vec<u32>,
}

impl Folder {
    /// Adds the instruction at `at` as an expression, taking as operands
    /// the pending expressions whose results exactly make up `params`.
    fn push(&mut self, at: u32, params: u32, results: u32) {
        let mut need = params;
        let mut take = 0;
        for &node in self.pending.iter().rev() {
            let r = self.nodes[node as usize].results;
            if need == 0 || r == 0 || r > need {
                break;
            }
            need -= r;
            take += 1;
        }
        let mut first_child = NONE;
        if need == 0 && take > 0 {
            let children = self.pending.split_off(self.pending.len() - take);
            for pair in children.windows(2) {
                self.nodes[pair[0] as usize].next_sibling = pair[1];
            }
            first_child = children[0];
        }
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Node {
            at,
            results,
            first_child,
            next_sibling: NONE,
        });
        self.pending.push(id);
    }
}

/// Operand and result counts of a branch, from its label's arity; `None`
/// for anything else, `Some(None)` when the label's arity is unknown.
fn branch_arity(arities: &[Option<u32>], instr: &Instr) -> Option<Option<(u32, u32)>> {
    let label = |l: u32| {
        arities
            .len()
            .checked_sub(1 + l as usize)
            .and_then(|i| arities[i])
    };
    Some(match instr {
        Instr::Br { label: l } => label(*l).map(|n| (n, 0)),
        Instr::BrIf { label: l } => label(*l).map(|n| (n.saturating_add(1), n)),
        Instr::BrTable { table } => label(table.default).map(|n| (n.saturating_add(1), 0)),
        _ => return None,
    })
}

impl<W: Write> Printer<'_, W> {
    /// Prints a function body folded, at `base` depth; the final `end` is
    /// left out.
    pub fn folded_body(&mut self, instrs: &[Instr], base: usize) -> fmt::Result {
        self.enter_frame();
        let func_results = self
            .m
            .func_type_idx(self.func)
            .and_then(|t| self.m.func_type(t))
            .map_or(0, |f| f.results.len());
        let mut f = Folder {
            nodes: Vec::new(),
            pending: Vec::new(),
        };
        // What a branch to each label in scope takes, innermost last.
        let mut arities: Vec<Option<u32>> = vec![u32::try_from(func_results).ok()];
        // Depth of each open block's header line.
        let mut open: Vec<(Open, usize)> = Vec::new();
        let mut ordinal = 0u32;
        let last = instrs.len().saturating_sub(1);
        for (at, instr) in instrs.iter().enumerate() {
            let depth = match open.last() {
                Some((Open::Plain | Open::Flat, d)) => d + 1,
                Some((Open::Arms, d)) => d + 2,
                None => base,
            };
            let at32 = u32::try_from(at).unwrap_or(NONE);
            match instr {
                Instr::If { .. } => {
                    let cond = match f.pending.last() {
                        Some(&n) if f.nodes[n as usize].results == 1 => f.pending.pop(),
                        _ => None,
                    };
                    for &root in &f.pending {
                        self.tree(&f.nodes, root, instrs, depth)?;
                    }
                    f.pending.clear();
                    // The hint goes before the folded `(if`, which is
                    // where the instruction's text starts.
                    self.hint_line(at, depth)?;
                    self.open_block(instr, &mut ordinal, depth)?;
                    arities.push(self.label_arity(instr));
                    if let Some(cond) = cond {
                        self.tree(&f.nodes, cond, instrs, depth + 1)?;
                    }
                    f.nodes.clear();
                    self.newline(depth + 1)?;
                    self.w("(then")?;
                    open.push((Open::Arms, depth));
                }
                Instr::Try { .. } => {
                    // The legacy `try` stays flat (`try ... catch ... end`):
                    // its folded `(do ...)` form is not read by common tools.
                    self.flush(&mut f, instrs, depth)?;
                    self.newline(depth)?;
                    self.hint(at)?;
                    self.opening = Some(ordinal);
                    self.instr(instr)?;
                    self.labels.push(ordinal);
                    ordinal = ordinal.saturating_add(1);
                    arities.push(self.label_arity(instr));
                    open.push((Open::Flat, depth));
                }
                _ if opens_block(instr) => {
                    self.flush(&mut f, instrs, depth)?;
                    self.hint_line(at, depth)?;
                    self.open_block(instr, &mut ordinal, depth)?;
                    arities.push(self.label_arity(instr));
                    open.push((Open::Plain, depth));
                }
                Instr::Else if matches!(open.last(), Some((Open::Arms, _))) => {
                    self.flush(&mut f, instrs, depth)?;
                    self.newline(depth - 1)?;
                    self.w(")")?;
                    self.newline(depth - 1)?;
                    self.w("(else")?;
                }
                Instr::Catch { .. } | Instr::CatchAll
                    if matches!(open.last(), Some((Open::Flat, _))) =>
                {
                    self.flush(&mut f, instrs, depth)?;
                    self.newline(depth - 1)?;
                    self.instr(instr)?;
                }
                Instr::Delegate { .. } if matches!(open.last(), Some((Open::Flat, _))) => {
                    self.flush(&mut f, instrs, depth)?;
                    self.labels.pop();
                    arities.pop();
                    open.pop();
                    self.newline(depth - 1)?;
                    self.instr(instr)?;
                }
                Instr::End if !open.is_empty() => {
                    self.flush(&mut f, instrs, depth)?;
                    match open.pop() {
                        Some((Open::Flat, d)) => {
                            self.newline(d)?;
                            self.w("end")?;
                        }
                        Some((kind, d)) => {
                            if kind == Open::Arms {
                                self.newline(d + 1)?;
                                self.w(")")?;
                            }
                            self.newline(d)?;
                            self.w(")")?;
                        }
                        None => {}
                    }
                    self.labels.pop();
                    arities.pop();
                }
                Instr::End if at == last => break,
                _ => match branch_arity(&arities, instr)
                    .unwrap_or_else(|| arity(self.m, func_results, instr))
                {
                    Some((params, results)) => f.push(at32, params, results),
                    None => {
                        // Unknown operand count, or an `else`/`end` that
                        // does not match the structure: print it flat.
                        self.flush(&mut f, instrs, depth)?;
                        self.newline(depth)?;
                        self.hint(at)?;
                        self.instr(instr)?;
                    }
                },
            }
        }
        self.flush(&mut f, instrs, base)
    }

    /// Prints `(block $l type` (or `if`, `loop`, ...) and enters its label.
    fn open_block(&mut self, instr: &Instr, ordinal: &mut u32, depth: usize) -> fmt::Result {
        self.newline(depth)?;
        self.w("(")?;
        self.opening = Some(*ordinal);
        self.instr(instr)?;
        self.labels.push(*ordinal);
        *ordinal = ordinal.saturating_add(1);
        Ok(())
    }

    /// Prints every pending expression, in order, and forgets the nodes.
    fn flush(&mut self, f: &mut Folder, instrs: &[Instr], depth: usize) -> fmt::Result {
        for &root in &f.pending {
            self.tree(&f.nodes, root, instrs, depth)?;
        }
        f.pending.clear();
        f.nodes.clear();
        Ok(())
    }

    /// Prints one expression tree, each operand on its own line one level
    /// deeper (or all on one line when they are single instructions),
    /// without recursion.
    fn tree(&mut self, nodes: &[Node], root: u32, instrs: &[Instr], depth: usize) -> fmt::Result {
        // (next operand to print, its depth), per node still open.
        let mut stack: Vec<(u32, usize)> = Vec::new();
        if self.node(nodes, root, instrs, depth)? {
            stack.push((nodes[root as usize].first_child, depth + 1));
        }
        while let Some(top) = stack.last_mut() {
            let (child, d) = *top;
            if child == NONE {
                self.w(")")?;
                stack.pop();
                continue;
            }
            top.0 = nodes[child as usize].next_sibling;
            if self.node(nodes, child, instrs, d)? {
                stack.push((nodes[child as usize].first_child, d + 1));
            }
        }
        Ok(())
    }

    /// Prints a node on a new line; a node whose operands are all single
    /// instructions is printed whole on that line. Returns whether its
    /// operands are still to be printed (and its parenthesis closed).
    fn node(
        &mut self,
        nodes: &[Node],
        id: u32,
        instrs: &[Instr],
        depth: usize,
    ) -> Result<bool, fmt::Error> {
        self.newline(depth)?;
        self.hint(nodes[id as usize].at as usize)?;
        self.w("(")?;
        self.node_instr(nodes, id, instrs)?;
        let first = nodes[id as usize].first_child;
        let mut child = first;
        while child != NONE {
            if nodes[child as usize].first_child != NONE {
                return Ok(true);
            }
            child = nodes[child as usize].next_sibling;
        }
        child = first;
        while child != NONE {
            self.w(" ")?;
            self.hint(nodes[child as usize].at as usize)?;
            self.w("(")?;
            self.node_instr(nodes, child, instrs)?;
            self.w(")")?;
            child = nodes[child as usize].next_sibling;
        }
        self.w(")")?;
        Ok(false)
    }

    fn node_instr(&mut self, nodes: &[Node], id: u32, instrs: &[Instr]) -> fmt::Result {
        match instrs.get(nodes[id as usize].at as usize) {
            Some(instr) => self.instr(instr),
            None => Ok(()),
        }
    }

    /// How many values a branch to the label of a block instruction takes:
    /// a loop's parameters, any other block's results (`None` when its
    /// type index is not a function type).
    fn label_arity(&self, instr: &Instr) -> Option<u32> {
        let bt = match instr {
            Instr::Block { ty } | Instr::Loop { ty } | Instr::If { ty } | Instr::Try { ty } => *ty,
            Instr::TryTable { table } => table.ty,
            _ => BlockType::Empty,
        };
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        match bt {
            BlockType::Empty => Some(0),
            BlockType::Val(_) => Some(if matches!(instr, Instr::Loop { .. }) {
                0
            } else {
                1
            }),
            BlockType::Func(ty) => {
                let f = self.m.func_type(ty)?;
                Some(n(if matches!(instr, Instr::Loop { .. }) {
                    f.params.len()
                } else {
                    f.results.len()
                }))
            }
        }
    }
}
