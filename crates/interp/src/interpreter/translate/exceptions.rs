//! Exception handling: `try_table` blocks become handler ranges
//! (`TryScope`) whose catches name branch targets; the legacy `try`'s
//! catch bodies keep the caught exception in a hidden slot for `rethrow`,
//! and `delegate` names the handler that takes over. Apart from lowering
//! because the unwinding side (`exec`) reads only these tables.

use super::*;

impl Translator<'_> {
    /// Opens a `try_table` block and registers its handler. Catch labels
    /// are resolved outside the block; a caught exception resets the stack
    /// to the block's base and pushes what the clause delivers.
    pub(super) fn try_table(&mut self, table: &weft_ast::TryTable) -> Result<(), Error> {
        let h = self.handlers.len() as u32;
        let (params, _) = self.block_sig(table.ty)?;
        let param_slots: u32 = params.iter().map(|w| *w as u32).sum();
        let height = self
            .height
            .checked_sub(param_slots)
            .ok_or(Error::Invalid("type mismatch: block parameters"))?;
        let mut catches = Vec::with_capacity(table.catches.len());
        for (i, c) in table.catches.iter().enumerate() {
            let label = c.label();
            let depth = self.ctrls.len();
            let ctrl = depth
                .checked_sub(1 + label as usize)
                .and_then(|i| self.ctrls.get(i))
                .ok_or(Error::Invalid("unknown label"))?;
            let base = ctrl.base;
            let (keep, to, forward) = if ctrl.kind == BlockKind::Loop {
                (
                    ctrl.params.iter().map(|w| *w as u32).sum(),
                    ctrl.start,
                    false,
                )
            } else {
                (ctrl.results.iter().map(|w| *w as u32).sum(), 0, true)
            };
            let (tag, with_ref) = match *c {
                weft_ast::Catch::One { tag, .. } => (Some(tag), false),
                weft_ast::Catch::OneRef { tag, .. } => (Some(tag), true),
                weft_ast::Catch::All { .. } => (None, false),
                weft_ast::Catch::AllRef { .. } => (None, true),
            };
            // The values delivered sit above the block's base before the
            // branch moves them.
            self.max_height = self.max_height.max(height + keep);
            if forward {
                self.add_fixup(label, Fixup::Catch(h, i as u32));
            }
            catches.push(CatchOp {
                tag,
                with_ref,
                legacy: false,
                target: Target {
                    to,
                    src: height,
                    dst: base,
                    n: keep,
                },
            });
        }
        self.open(BlockKind::Block, table.ty, None)?;
        self.ctrls.last_mut().expect("just opened").handler = Some(h);
        self.handlers.push(TryScope {
            start: self.here(),
            end: self.here(),
            height,
            catches: catches.into_boxed_slice(),
            delegate: None,
        });
        Ok(())
    }

    /// Leaving a legacy catch body normally: its results move down over
    /// the hidden exception slot.
    pub(super) fn leave_catch(&mut self) -> Result<(), Error> {
        let Some(c) = self.ctrls.last() else {
            return Ok(());
        };
        if c.kind != BlockKind::Catch || c.unreachable {
            return Ok(());
        }
        let keep: u32 = c.results.iter().map(|w| *w as u32).sum();
        let base = c.base;
        if self.height != base + 1 + keep {
            return Err(Error::Invalid("type mismatch: catch results"));
        }
        self.home_top_slots(keep)?;
        // A branch to the next op: the end, where the results belong.
        let to = self.here() + 1;
        self.targets.push(Target {
            to,
            src: base + 1,
            dst: base,
            n: keep,
        });
        self.emit(Op::Br {
            target: self.targets.len() as u32 - 1,
        });
        // `end` then takes the stack from the block's base, results home.
        Ok(())
    }

    /// Starts a `catch` (with a tag and its payload) or `catch_all` clause
    /// of the innermost legacy `try`.
    pub(super) fn legacy_catch(
        &mut self,
        tag: Option<u32>,
        payload: &[ValType],
    ) -> Result<(), Error> {
        let c = self
            .ctrls
            .last()
            .ok_or(Error::Invalid("catch outside try"))?;
        let (BlockKind::Try | BlockKind::Catch, Some(h)) = (c.kind, c.handler) else {
            return Err(Error::Invalid("catch outside try"));
        };
        if c.kind == BlockKind::Try {
            if !c.unreachable {
                // The try body's results go home, where the end finds
                // them.
                let len = self.vals.len();
                self.home(c.base_vals..len);
                let at = self.here();
                self.emit(Op::Jump { to: 0 });
                self.ctrls
                    .last_mut()
                    .expect("open")
                    .fixups
                    .push(Fixup::Op(at));
            }
            self.handlers[h as usize].end = self.here();
        } else if !c.unreachable {
            // Another clause follows a catch body: its results move down
            // over the hidden slot, then to the end.
            let keep: u32 = c.results.iter().map(|w| *w as u32).sum();
            let base = c.base;
            self.home_top_slots(keep)?;
            self.targets.push(Target {
                to: 0,
                src: base + 1,
                dst: base,
                n: keep,
            });
            let target = self.targets.len() as u32 - 1;
            self.emit(Op::Br { target });
            self.ctrls
                .last_mut()
                .expect("open")
                .fixups
                .push(Fixup::Table(target));
        }
        let here = self.begin_arm(BlockKind::Catch)?;
        let base = self.top().base;
        self.height = base;
        self.push_home(1);
        self.push_types(payload);
        let keep = self.height - base;
        let mut catches = std::mem::take(&mut self.handlers[h as usize].catches).into_vec();
        catches.push(CatchOp {
            tag,
            with_ref: true,
            legacy: true,
            target: Target {
                to: here,
                src: base,
                dst: base,
                n: keep,
            },
        });
        self.handlers[h as usize].catches = catches.into_boxed_slice();
        Ok(())
    }
}
