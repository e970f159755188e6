//! Flat instruction sequences: one instruction per line, indented by block
//! depth, with the label stack kept for label names.

use std::fmt::{self, Write};

use weft_ast::{Expr, Instr};

use crate::printer::{FRAME, Printer};

/// Whether an instruction opens a block (and a label).
pub fn opens_block(instr: &Instr) -> bool {
    matches!(
        instr,
        Instr::Block { .. }
            | Instr::Loop { .. }
            | Instr::If { .. }
            | Instr::Try { .. }
            | Instr::TryTable { .. }
    )
}

impl<W: Write> Printer<'_, W> {
    /// Starts the label stack of a function body (or constant expression).
    pub fn enter_frame(&mut self) {
        self.labels.clear();
        self.labels.push(FRAME);
    }

    /// Prints a body flat, each instruction on a new line at `base` depth
    /// plus its block depth. The final `end` is left out; an unbalanced body
    /// is printed as it stands.
    pub fn flat_body(&mut self, instrs: &[Instr], base: usize) -> fmt::Result {
        self.enter_frame();
        let mut ordinal = 0u32;
        let last = instrs.len().saturating_sub(1);
        for (at, instr) in instrs.iter().enumerate() {
            let depth = base + self.labels.len() - 1;
            match instr {
                Instr::End => {
                    if self.labels.len() > 1 {
                        self.labels.pop();
                        self.newline(depth - 1)?;
                    } else if at == last {
                        break;
                    } else {
                        self.newline(depth)?;
                    }
                    self.w("end")?;
                }
                Instr::Else | Instr::Catch { .. } | Instr::CatchAll => {
                    self.newline(depth.saturating_sub(1).max(base))?;
                    self.instr(instr)?;
                }
                Instr::Delegate { .. } => {
                    if self.labels.len() > 1 {
                        self.labels.pop();
                    }
                    self.newline(base + self.labels.len() - 1)?;
                    self.instr(instr)?;
                }
                _ if opens_block(instr) => {
                    self.newline(depth)?;
                    self.hint(at)?;
                    self.opening = Some(ordinal);
                    self.instr(instr)?;
                    self.labels.push(ordinal);
                    ordinal = ordinal.saturating_add(1);
                }
                _ => {
                    self.newline(depth)?;
                    self.hint(at)?;
                    self.instr(instr)?;
                }
            }
        }
        Ok(())
    }

    /// Prints a constant expression on one line, each instruction preceded
    /// by a space, the final `end` left out.
    pub fn inline_expr(&mut self, expr: Expr) -> fmt::Result {
        self.enter_frame();
        let instrs = self.expr_instrs(expr);
        let body = match instrs.split_last() {
            Some((Instr::End, init)) => init,
            _ => instrs,
        };
        for instr in body {
            self.w(" ")?;
            self.instr(instr)?;
        }
        Ok(())
    }
}

impl<'a, W: Write> Printer<'a, W> {
    /// The instructions of a span, or none if the span lies outside the
    /// module's code (a malformed AST must not panic the printer).
    pub fn expr_instrs(&self, expr: Expr) -> &'a [Instr] {
        let m: &'a weft_ast::Module = self.m;
        m.code
            .get(expr.start as usize..expr.end as usize)
            .unwrap_or(&[])
    }
}
