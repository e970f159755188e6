//! Instructions: plain and folded forms flattened into [`Module::code`].
//!
//! The keyword lookup and the immediates of ordinary instructions are
//! generated from the one instruction table (`weft_ast::for_each_instr!`),
//! dispatching on each immediate's kind. The few instructions whose text
//! differs from their binary shape (blocks, `select`, `call_indirect`,
//! `memory.init`, `table.init`, `ref.test`, `ref.cast`, `try_table`, the
//! legacy `try`) are handled first, by hand.
//!
//! Folded instructions nest, and input may nest them arbitrarily deep, so
//! they are flattened with an explicit stack of open frames rather than by
//! recursion: no text can overflow the native stack.

use crate::cursor::PResult;
use crate::lexer::Kind;
use crate::module::{BlockKind, Label, ModuleParser};
use crate::names::Ns;
use crate::num;
use weft_ast::*;

/// The instructions `plain_instr` handles itself (blocks and their
/// delimiters); their proposal is checked there.
const STRUCTURED: &[&str] = &[
    "block",
    "loop",
    "if",
    "try",
    "try_table",
    "else",
    "end",
    "catch",
    "catch_all",
    "delegate",
];

/// The instructions whose text differs from their table row, handled by
/// hand in `instr_with_immediates`; their proposal is checked there (the
/// generated lookup checks every other row's).
const OVERRIDDEN: &[&str] = &[
    "select",
    "call_indirect",
    "return_call_indirect",
    "memory.init",
    "table.init",
    "ref.test",
    "ref.cast",
    "ref.cast_desc_eq",
];

/// An open folded form, waiting for its `)`.
enum Frame {
    /// A plain instruction, emitted after its folded operands.
    Plain(Instr),
    /// The body of a folded `block`, `loop` or `try_table`.
    Block,
    /// A folded `if` before `(then`: its operands are being read.
    IfCond { name: Option<String>, ty: BlockType },
    /// Inside `(then ...)`.
    IfThen,
    /// Inside `(else ...)`.
    IfElse,
    /// Inside a folded legacy `try`'s `(do ...)`.
    TryDo,
    /// After `(do ...)`: handlers or the closing `)`.
    TryHandlers,
    /// Inside `(catch ...)` or `(catch_all ...)`.
    TryCatch,
}

impl ModuleParser<'_> {
    /// Instructions up to the next unmatched `)` (not read), then `end`.
    pub fn expr(&mut self) -> PResult<Expr> {
        let start = self.m.code.len() as u32;
        self.instrs(false)?;
        if !self.scope.labels.is_empty() {
            return Err(self.c.unexpected());
        }
        self.m.code.push(Instr::End);
        Ok(Expr {
            start,
            end: self.m.code.len() as u32,
        })
    }

    /// One folded instruction, then `end`: an offset or item abbreviation.
    pub fn folded_expr(&mut self) -> PResult<Expr> {
        let start = self.m.code.len() as u32;
        if self.c.kind_at(0) != Some(Kind::LParen) {
            return Err(self.c.unexpected());
        }
        self.instrs(true)?;
        self.m.code.push(Instr::End);
        Ok(Expr {
            start,
            end: self.m.code.len() as u32,
        })
    }

    fn emit(&mut self, i: Instr) {
        self.m.code.push(i);
    }

    /// The instruction loop. With `single`, stops after one complete
    /// folded instruction.
    fn instrs(&mut self, single: bool) -> PResult<()> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let Some(t) = self.c.peek() else {
                return Err(self.c.unexpected());
            };
            match t.kind {
                Kind::RParen => {
                    let Some(frame) = stack.pop() else {
                        return Ok(());
                    };
                    if let Frame::IfCond { .. } = frame {
                        // A folded `if` needs its `(then ...)`.
                        return Err(self.c.expected("`(then`"));
                    }
                    self.c.bump();
                    match frame {
                        Frame::Plain(i) => self.emit(i),
                        Frame::Block | Frame::TryHandlers => {
                            self.pop_label();
                            self.emit(Instr::End);
                        }
                        Frame::IfCond { .. } => {}
                        Frame::IfThen => {
                            if self.c.eat_sexpr("else") {
                                if let Some(l) = self.scope.labels.last_mut() {
                                    l.kind = BlockKind::Else;
                                }
                                self.emit(Instr::Else);
                                stack.push(Frame::IfElse);
                                continue;
                            }
                            self.c.rparen()?;
                            self.pop_label();
                            self.emit(Instr::End);
                        }
                        Frame::IfElse => {
                            self.c.rparen()?;
                            self.pop_label();
                            self.emit(Instr::End);
                        }
                        Frame::TryDo | Frame::TryCatch => {
                            stack.push(Frame::TryHandlers);
                            continue;
                        }
                    }
                    if single && stack.is_empty() {
                        return Ok(());
                    }
                }
                Kind::LParen => {
                    let Some(kw) = self.c.keyword_at(1) else {
                        return Err(self
                            .c
                            .error_at(self.c.peek_at(1).unwrap_or(t), "unknown operator"));
                    };
                    match (stack.last_mut(), kw) {
                        (Some(Frame::IfCond { name, ty }), "then") => {
                            self.c.pos += 2;
                            let (name, ty) = (name.take(), *ty);
                            stack.pop();
                            self.push_label(name, BlockKind::If, false);
                            self.emit(Instr::If { ty });
                            stack.push(Frame::IfThen);
                        }
                        (Some(Frame::TryHandlers), "catch") => {
                            self.c.pos += 2;
                            let tag = self.index(Ns::Tag)?;
                            self.set_label_kind(BlockKind::Catch);
                            self.emit(Instr::Catch { tag });
                            stack.pop();
                            stack.push(Frame::TryCatch);
                        }
                        (Some(Frame::TryHandlers), "catch_all") => {
                            self.c.pos += 2;
                            self.set_label_kind(BlockKind::Catch);
                            self.emit(Instr::CatchAll);
                            stack.pop();
                            stack.push(Frame::TryCatch);
                        }
                        (Some(Frame::TryHandlers), "delegate") => {
                            self.c.pos += 2;
                            self.pop_label();
                            let label = self.label()?;
                            self.emit(Instr::Delegate { label });
                            self.c.rparen()?;
                            self.c.rparen()?;
                            stack.pop();
                            if single && stack.is_empty() {
                                return Ok(());
                            }
                        }
                        (Some(Frame::TryHandlers), _) => {
                            return Err(self.c.unexpected());
                        }
                        _ => {
                            self.c.pos += 2;
                            self.open_folded(kw, &mut stack)?;
                        }
                    }
                }
                Kind::Keyword if !(single && stack.is_empty()) => {
                    if matches!(
                        stack.last(),
                        Some(Frame::TryHandlers | Frame::IfCond { .. })
                    ) {
                        return Err(self.c.unexpected());
                    }
                    self.c.bump();
                    let kw = self.c.text(t);
                    self.plain_instr(kw)?;
                }
                Kind::Reserved | Kind::Id | Kind::String if stack.is_empty() && !single => {
                    return Ok(());
                }
                _ => return Err(self.c.unexpected()),
            }
        }
    }

    fn push_label(&mut self, name: Option<String>, kind: BlockKind, plain: bool) {
        // The name section numbers a function's blocks in code order.
        let idx = self.scope.blocks;
        self.scope.blocks += 1;
        if let (Some(n), true) = (&name, self.in_func) {
            self.scope.label_names.push((idx, n.clone()));
        }
        if let Some(n) = &name {
            let depth = self.scope.labels.len();
            self.scope
                .label_depths
                .entry(n.clone())
                .or_default()
                .push(depth);
        }
        self.scope.labels.push(Label { name, kind, plain });
    }

    /// Closes the innermost block.
    fn pop_label(&mut self) {
        if let Some(Label { name: Some(n), .. }) = self.scope.labels.pop()
            && let Some(depths) = self.scope.label_depths.get_mut(&n)
        {
            depths.pop();
        }
    }

    fn set_label_kind(&mut self, kind: BlockKind) {
        if let Some(l) = self.scope.labels.last_mut() {
            l.kind = kind;
        }
    }

    /// Opens a folded form whose `(` and keyword have been read.
    fn open_folded(&mut self, kw: &str, stack: &mut Vec<Frame>) -> PResult<()> {
        if matches!(kw, "try" | "try_table") {
            self.gate(kw)?;
        }
        match kw {
            "block" | "loop" => {
                let name = self.c.opt_id().map(|n| n.into_owned());
                let ty = self.block_type()?;
                self.emit(if kw == "block" {
                    Instr::Block { ty }
                } else {
                    Instr::Loop { ty }
                });
                self.push_label(name, BlockKind::Block, false);
                stack.push(Frame::Block);
            }
            "try_table" => {
                let name = self.c.opt_id().map(|n| n.into_owned());
                let table = self.try_table()?;
                self.emit(Instr::TryTable { table });
                self.push_label(name, BlockKind::Block, false);
                stack.push(Frame::Block);
            }
            "if" => {
                let name = self.c.opt_id().map(|n| n.into_owned());
                let ty = self.block_type()?;
                stack.push(Frame::IfCond { name, ty });
            }
            "try" => {
                let name = self.c.opt_id().map(|n| n.into_owned());
                let ty = self.block_type()?;
                self.emit(Instr::Try { ty });
                self.push_label(name, BlockKind::Try, false);
                if !self.c.eat_sexpr("do") {
                    return Err(self.c.unexpected());
                }
                stack.push(Frame::TryDo);
            }
            "then" | "else" | "end" | "do" | "catch" | "catch_all" | "delegate" | "type"
            | "param" | "result" | "local" | "export" | "import" => {
                return Err(self.c.error("unexpected token"));
            }
            _ => {
                let i = self.instr_with_immediates(kw)?;
                stack.push(Frame::Plain(i));
            }
        }
        Ok(())
    }

    /// Checks the optional `$id` after `end`/`else` against the block's.
    fn check_closing_label(&mut self, label_name: Option<&str>) -> PResult<()> {
        if let Some(t) = self.c.peek().filter(|t| t.kind == Kind::Id) {
            let name = crate::cursor::id_name(self.c.text(t));
            if label_name != Some(&*name) {
                return Err(self.c.error("mismatching label"));
            }
            self.c.bump();
        }
        Ok(())
    }

    /// One unfolded instruction whose keyword has been read.
    fn plain_instr(&mut self, kw: &str) -> PResult<()> {
        if STRUCTURED.contains(&kw) {
            self.gate(kw)?;
        }
        match kw {
            "block" | "loop" | "if" | "try" => {
                let name = self.c.opt_id().map(|n| n.into_owned());
                let ty = self.block_type()?;
                let (i, kind) = match kw {
                    "block" => (Instr::Block { ty }, BlockKind::Block),
                    "loop" => (Instr::Loop { ty }, BlockKind::Block),
                    "if" => (Instr::If { ty }, BlockKind::If),
                    _ => (Instr::Try { ty }, BlockKind::Try),
                };
                self.emit(i);
                self.push_label(name, kind, true);
            }
            "try_table" => {
                let name = self.c.opt_id().map(|n| n.into_owned());
                let table = self.try_table()?;
                self.emit(Instr::TryTable { table });
                self.push_label(name, BlockKind::Block, true);
            }
            "else" => {
                let Some(l) = self
                    .scope
                    .labels
                    .last()
                    .filter(|l| l.plain && l.kind == BlockKind::If)
                else {
                    return Err(self.c.error("unexpected token"));
                };
                let name = l.name.clone();
                self.check_closing_label(name.as_deref())?;
                self.set_label_kind(BlockKind::Else);
                self.emit(Instr::Else);
            }
            "end" => {
                let Some(l) = self.scope.labels.last().filter(|l| l.plain) else {
                    return Err(self.c.error("unexpected token"));
                };
                let name = l.name.clone();
                self.check_closing_label(name.as_deref())?;
                self.pop_label();
                self.emit(Instr::End);
            }
            "catch" | "catch_all" => {
                let ok = self.scope.labels.last().is_some_and(|l| {
                    l.plain && matches!(l.kind, BlockKind::Try | BlockKind::Catch)
                });
                if !ok {
                    return Err(self.c.error("unexpected token"));
                }
                self.set_label_kind(BlockKind::Catch);
                if kw == "catch" {
                    let tag = self.index(Ns::Tag)?;
                    self.emit(Instr::Catch { tag });
                } else {
                    self.emit(Instr::CatchAll);
                }
            }
            "delegate" => {
                let ok = self
                    .scope
                    .labels
                    .last()
                    .is_some_and(|l| l.plain && l.kind == BlockKind::Try);
                if !ok {
                    return Err(self.c.error("unexpected token"));
                }
                self.pop_label();
                let label = self.label()?;
                self.emit(Instr::Delegate { label });
            }
            _ => {
                let i = self.instr_with_immediates(kw)?;
                self.emit(i);
            }
        }
        Ok(())
    }

    /// Rejects an instruction whose proposal is not enabled, as the spec's
    /// `unknown operator`.
    fn gate(&self, kw: &str) -> PResult<()> {
        if mnemonic_feature(kw).is_some_and(|f| self.features.contains(f)) {
            Ok(())
        } else {
            Err(self.c.error_prev(format!("unknown operator {kw}")))
        }
    }

    /// An ordinary instruction's immediates, its keyword read.
    fn instr_with_immediates(&mut self, kw: &str) -> PResult<Instr> {
        if OVERRIDDEN.contains(&kw) {
            self.gate(kw)?;
        }
        let i = match kw {
            "select" => {
                let mut types = Vec::new();
                let mut typed = false;
                while self.c.eat_sexpr("result") {
                    if !self.features.contains(Features::REFERENCE_TYPES) {
                        return Err(self.c.error("unexpected token"));
                    }
                    typed = true;
                    while !self.c.peek_rparen() {
                        types.push(self.val_type()?);
                    }
                    self.c.rparen()?;
                }
                if typed {
                    Instr::SelectT {
                        types: Box::new(TypeList(types)),
                    }
                } else {
                    Instr::Select
                }
            }
            "call_indirect" | "return_call_indirect" => {
                let table = self.opt_index(Ns::Table)?.unwrap_or(0);
                let ty = self.anonymous_type_use()?;
                if kw == "call_indirect" {
                    Instr::CallIndirect { ty, table }
                } else {
                    Instr::ReturnCallIndirect { ty, table }
                }
            }
            "memory.init" => {
                let mem = if self.is_index_at(1) {
                    self.index(Ns::Memory)?
                } else {
                    0
                };
                self.uses_data_count |= self.in_func;
                let data = self.index(Ns::Data)?;
                Instr::MemoryInit { data, mem }
            }
            "table.init" => {
                let table = if self.is_index_at(1) {
                    self.index(Ns::Table)?
                } else {
                    0
                };
                let elem = self.index(Ns::Elem)?;
                Instr::TableInit { elem, table }
            }
            "ref.test" | "ref.cast" => {
                let rt = self.ref_type()?;
                match (kw, rt.nullable) {
                    ("ref.test", false) => Instr::RefTest { ty: rt.heap },
                    ("ref.test", true) => Instr::RefTestNull { ty: rt.heap },
                    (_, false) => Instr::RefCast { ty: rt.heap },
                    (_, true) => Instr::RefCastNull { ty: rt.heap },
                }
            }
            "ref.cast_desc_eq" => {
                let rt = self.ref_type()?;
                if rt.nullable {
                    Instr::RefCastDescEqNull { ty: rt.heap }
                } else {
                    Instr::RefCastDescEq { ty: rt.heap }
                }
            }
            _ => {
                self.lane_follows = kw.ends_with("_lane");
                match self.table_instr(kw)? {
                    Some(i) => i,
                    None => return Err(self.c.error_prev(format!("unknown operator {kw}"))),
                }
            }
        };
        // Data indices in function bodies need the data count section
        // (the code section comes before the data section).
        if self.in_func
            && matches!(
                i,
                Instr::DataDrop { .. } | Instr::ArrayNewData { .. } | Instr::ArrayInitData { .. }
            )
        {
            self.uses_data_count = true;
        }
        Ok(i)
    }
}

/// Reads one immediate of a kind named in the instruction table.
macro_rules! imm {
    ($p:ident, BlockType) => {
        $p.block_type()?
    };
    ($p:ident, LabelIdx) => {
        $p.label()?
    };
    ($p:ident, BrTableArg) => {
        $p.br_table()?
    };
    ($p:ident, FuncIdx) => {
        $p.index(Ns::Func)?
    };
    ($p:ident, TypeIdx) => {
        $p.type_imm()?
    };
    ($p:ident, TableIdx) => {
        $p.opt_index(Ns::Table)?.unwrap_or(0)
    };
    ($p:ident, MemIdx) => {
        $p.opt_index(Ns::Memory)?.unwrap_or(0)
    };
    ($p:ident, LocalIdx) => {
        $p.local()?
    };
    ($p:ident, GlobalIdx) => {
        $p.index(Ns::Global)?
    };
    ($p:ident, ElemIdx) => {
        $p.index(Ns::Elem)?
    };
    ($p:ident, DataIdx) => {
        $p.index(Ns::Data)?
    };
    ($p:ident, TagIdx) => {
        $p.index(Ns::Tag)?
    };
    ($p:ident, FieldIdx) => {
        $p.field_index()?
    };
    ($p:ident, Count) => {
        $p.c.u32()?
    };
    ($p:ident, Lane) => {
        $p.lane()?
    };
    ($p:ident, Byte) => {
        0
    };
    ($p:ident, I32) => {
        $p.c.number("i32", num::i32)?
    };
    ($p:ident, I64) => {
        $p.c.number("i64", num::i64)?
    };
    ($p:ident, F32) => {
        Ieee32($p.c.number("f32", num::f32)?)
    };
    ($p:ident, F64) => {
        Ieee64($p.c.number("f64", num::f64)?)
    };
    ($p:ident, HeapType) => {
        $p.heap_type()?
    };
    ($p:ident, SelectTypes) => {
        Box::new(TypeList(Vec::new()))
    };
    ($p:ident, TryTableArg) => {
        $p.try_table()?
    };
    ($p:ident, BrOnCastArg) => {
        $p.br_on_cast()?
    };
    ($p:ident, V128Arg) => {
        $p.v128()?
    };
    ($p:ident, ShuffleArg) => {
        $p.shuffle()?
    };
    ($p:ident, MemArg1) => {
        $p.memarg(0)?
    };
    ($p:ident, MemArg2) => {
        $p.memarg(1)?
    };
    ($p:ident, MemArg4) => {
        $p.memarg(2)?
    };
    ($p:ident, MemArg8) => {
        $p.memarg(3)?
    };
    ($p:ident, MemArg16) => {
        $p.memarg(4)?
    };
}

/// Generates the keyword lookup of every instruction in the table.
macro_rules! text_instrs {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        impl ModuleParser<'_> {
            /// The instruction spelled `kw` with its immediates read, or
            /// `None` if no row of the table has that mnemonic or its
            /// proposal is not enabled.
            #[allow(unreachable_patterns)]
            fn table_instr(&mut self, kw: &str) -> PResult<Option<Instr>> {
                Ok(Some(match kw {
                    $( $(
                        $text => {
                            if !self.features.contains(Features::$feature) {
                                return Ok(None);
                            }
                            Instr::$name $({ $($field: imm!(self, $imm)),* })?
                        }
                    )* )*
                    _ => return Ok(None),
                }))
            }
        }
    };
}

weft_ast::for_each_instr!(text_instrs);

/// Generates the mnemonic-to-proposal lookup (the first row of a mnemonic
/// with two rows decides; both rows of each share a proposal).
macro_rules! mnemonic_features {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        /// The proposal that introduced the instruction spelled `kw`.
        #[allow(unreachable_patterns)]
        fn mnemonic_feature(kw: &str) -> Option<Features> {
            Some(match kw {
                $( $( $text => Features::$feature, )* )*
                _ => return None,
            })
        }
    };
}

weft_ast::for_each_instr!(mnemonic_features);
