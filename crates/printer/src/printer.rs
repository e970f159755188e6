//! The printer's state and its smallest helpers: indentation and references
//! to items of the index spaces.

use std::fmt::{self, Write};

use weft_ast::{BranchHint, Module};

use crate::Options;
use crate::names::{Ids, Space};
use crate::text;

/// Indentation stops growing past this depth, so that deeply nested input
/// cannot make the output grow quadratically.
const MAX_INDENT_DEPTH: usize = 32;

/// Branches further out than this are printed by number.
const MAX_SHADOW_SCAN: u32 = 64;

/// The label stack entry of a function's own frame, which has no name.
pub const FRAME: u32 = u32::MAX;

/// Prints one module into one sink.
pub struct Printer<'a, W: Write> {
    /// The sink.
    pub out: &'a mut W,
    /// The module printed.
    pub m: &'a Module,
    /// How to print.
    pub opts: &'a Options,
    /// Identifiers of every index space.
    pub ids: Ids,
    /// The function whose body (or signature) is being printed, for local
    /// and label names.
    pub func: u32,
    /// Labels in scope, innermost last, as the ordinal of the block
    /// instruction that opened them ([`FRAME`] for the function itself).
    pub labels: Vec<u32>,
    /// The ordinal of the block being opened, so that its block type can be
    /// preceded by its label's name.
    pub opening: Option<u32>,
    /// The branch hints of the function being printed, by instruction
    /// index (none unless custom annotations are printed).
    pub hints: &'a [BranchHint],
}

impl<'a, W: Write> Printer<'a, W> {
    /// A printer of `m` into `out`.
    pub fn new(m: &'a Module, opts: &'a Options, out: &'a mut W) -> Self {
        Printer {
            out,
            m,
            opts,
            ids: Ids::new(m),
            func: 0,
            labels: Vec::new(),
            opening: None,
            hints: &[],
        }
    }

    /// Enters function `idx` for its body: its branch hints, when custom
    /// annotations are printed.
    pub fn enter_func_hints(&mut self, idx: u32) {
        let m: &'a Module = self.m;
        self.hints = match m.branch_hints.binary_search_by_key(&idx, |f| f.func) {
            Ok(i) if self.opts.custom_annotations => &m.branch_hints[i].hints,
            _ => &[],
        };
    }

    /// The branch hint annotation of the instruction at index `at` of the
    /// body, if it has one.
    pub fn hint_text(&self, at: usize) -> Option<&'static str> {
        if self.hints.is_empty() {
            return None;
        }
        let i = self
            .hints
            .binary_search_by_key(&at, |h| h.instr as usize)
            .ok()?;
        Some(if self.hints[i].likely {
            "(@metadata.code.branch_hint \"\\01\")"
        } else {
            "(@metadata.code.branch_hint \"\\00\")"
        })
    }

    /// Writes the branch hint annotation of the instruction at index `at`
    /// and a space, when it has one.
    pub fn hint(&mut self, at: usize) -> fmt::Result {
        match self.hint_text(at) {
            Some(text) => {
                self.w(text)?;
                self.w(" ")
            }
            None => Ok(()),
        }
    }

    /// Writes the branch hint annotation of the instruction at index `at`
    /// on a line of its own at `depth`, when it has one (before a folded
    /// form, which starts on the next line).
    pub fn hint_line(&mut self, at: usize, depth: usize) -> fmt::Result {
        match self.hint_text(at) {
            Some(text) => {
                self.newline(depth)?;
                self.w(text)
            }
            None => Ok(()),
        }
    }

    /// Starts a new line indented `depth` levels.
    pub fn newline(&mut self, depth: usize) -> fmt::Result {
        const SPACES: &str = "                                                                                                                                ";
        let width = depth.min(MAX_INDENT_DEPTH) * usize::from(self.opts.indent);
        self.out.write_char('\n')?;
        let mut left = width;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.out.write_str(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    /// Writes a string.
    pub fn w(&mut self, s: &str) -> fmt::Result {
        self.out.write_str(s)
    }

    /// Writes an unsigned number.
    pub fn num(&mut self, n: impl Into<u64>) -> fmt::Result {
        text::uint(self.out, n.into())
    }

    /// Writes ` ` and a reference to item `index` of an index space: its
    /// `$id` if it has one, else the number.
    pub fn index(&mut self, space: fn(&Ids) -> &Space, index: u32) -> fmt::Result {
        self.out.write_char(' ')?;
        match space(&self.ids).get(index) {
            Some(id) => self.out.write_str(id),
            None => text::uint(self.out, index.into()),
        }
    }

    /// Writes the `$id` (with a leading space) that an item's definition
    /// carries, and its `(;N;)` comment when asked for.
    pub fn binder(&mut self, space: fn(&Ids) -> &Space, index: u32) -> fmt::Result {
        let space = space(&self.ids);
        if let Some(id) = space.get(index) {
            self.out.write_char(' ')?;
            self.out.write_str(id)?;
        }
        if let Some(name) = space.renamed(index) {
            self.out.write_str(" (@name ")?;
            text::name(self.out, name)?;
            self.out.write_char(')')?;
        }
        self.index_comment(index)
    }

    /// Writes ` (@name "...")` for a name no identifier spells.
    pub fn name_annotation(&mut self, name: Option<&str>) -> fmt::Result {
        if let Some(name) = name {
            self.out.write_str(" (@name ")?;
            text::name(self.out, name)?;
            self.out.write_char(')')?;
        }
        Ok(())
    }

    /// Writes ` (;N;)` when index comments are on.
    pub fn index_comment(&mut self, index: u32) -> fmt::Result {
        if self.opts.index_comments {
            self.out.write_str(" (;")?;
            text::uint(self.out, index.into())?;
            self.out.write_str(";)")?;
        }
        Ok(())
    }

    /// Writes ` ` and a reference to a local of the current function.
    pub fn local(&mut self, index: u32) -> fmt::Result {
        self.out.write_char(' ')?;
        match self.ids.locals(self.func).get(index) {
            Some(id) => self.out.write_str(id),
            None => text::uint(self.out, index.into()),
        }
    }

    /// Writes ` ` and a reference to field `field` of type `ty`.
    pub fn field(&mut self, ty: u32, field: u32) -> fmt::Result {
        self.out.write_char(' ')?;
        match self.ids.fields(ty).get(field) {
            Some(id) => self.out.write_str(id),
            None => text::uint(self.out, field.into()),
        }
    }

    /// Writes ` ` and a reference to the label `depth` levels out: its name
    /// when it has one that no inner label shadows, else the number.
    pub fn label(&mut self, depth: u32) -> fmt::Result {
        self.out.write_char(' ')?;
        let names = self.ids.labels(self.func);
        let name = |ordinal: u32| {
            if ordinal == FRAME {
                None
            } else {
                names.get(ordinal)
            }
        };
        // Past a few dozen levels the number is printed without looking for
        // shadowing names, so that deep nesting stays linear.
        let pos = self.labels.len().checked_sub(1 + depth as usize);
        if let Some(pos) = pos.filter(|_| depth <= MAX_SHADOW_SCAN)
            && let Some(id) = name(self.labels[pos])
        {
            let shadowed = self.labels[pos + 1..].iter().any(|o| name(*o) == Some(id));
            if !shadowed {
                return self.out.write_str(id);
            }
        }
        text::uint(self.out, depth.into())
    }

    /// Writes ` ` and the `$id` of the block being opened, if it has one.
    pub fn opening_label(&mut self) -> fmt::Result {
        if let Some(ordinal) = self.opening.take()
            && let Some(id) = self.ids.labels(self.func).get(ordinal)
        {
            self.out.write_char(' ')?;
            self.out.write_str(id)?;
        }
        Ok(())
    }
}
