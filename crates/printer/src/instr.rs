//! One instruction's mnemonic and immediates, derived from the instruction
//! table, with overrides where the text order or form differs from binary.

use std::fmt::{self, Write};

use weft_ast::*;

use crate::names::Ids;
use crate::printer::Printer;
use crate::text;

/// Prints one immediate by its kind (the table's identifier), with a leading
/// space where it prints anything. `$ty` carries the last type index seen,
/// which names the struct whose field a `FieldIdx` selects.
macro_rules! imm {
    ($p:ident, $ty:ident, LabelIdx, $f:ident) => {
        $p.label(*$f)?
    };
    ($p:ident, $ty:ident, FuncIdx, $f:ident) => {
        $p.index(|i: &Ids| &i.funcs, *$f)?
    };
    ($p:ident, $ty:ident, TableIdx, $f:ident) => {
        $p.index(|i: &Ids| &i.tables, *$f)?
    };
    ($p:ident, $ty:ident, MemIdx, $f:ident) => {
        $p.memory(*$f)?
    };
    ($p:ident, $ty:ident, GlobalIdx, $f:ident) => {
        $p.index(|i: &Ids| &i.globals, *$f)?
    };
    ($p:ident, $ty:ident, LocalIdx, $f:ident) => {
        $p.local(*$f)?
    };
    ($p:ident, $ty:ident, ElemIdx, $f:ident) => {
        $p.index(|i: &Ids| &i.elems, *$f)?
    };
    ($p:ident, $ty:ident, DataIdx, $f:ident) => {
        $p.index(|i: &Ids| &i.datas, *$f)?
    };
    ($p:ident, $ty:ident, TagIdx, $f:ident) => {
        $p.index(|i: &Ids| &i.tags, *$f)?
    };
    ($p:ident, $ty:ident, TypeIdx, $f:ident) => {{
        $ty = *$f;
        $p.index(|i: &Ids| &i.types, *$f)?
    }};
    ($p:ident, $ty:ident, FieldIdx, $f:ident) => {
        $p.field($ty, *$f)?
    };
    ($p:ident, $ty:ident, Count, $f:ident) => {{
        $p.w(" ")?;
        $p.num(*$f)?
    }};
    ($p:ident, $ty:ident, Lane, $f:ident) => {{
        $p.w(" ")?;
        $p.num(*$f)?
    }};
    // `atomic.fence`'s reserved byte has no text form.
    ($p:ident, $ty:ident, Byte, $f:ident) => {
        let _ = $f;
    };
    ($p:ident, $ty:ident, I32, $f:ident) => {{
        $p.w(" ")?;
        text::int($p.out, (*$f).into())?
    }};
    ($p:ident, $ty:ident, I64, $f:ident) => {{
        $p.w(" ")?;
        text::int($p.out, *$f)?
    }};
    ($p:ident, $ty:ident, F32, $f:ident) => {{
        $p.w(" ")?;
        text::f32_bits($p.out, $f.0)?
    }};
    ($p:ident, $ty:ident, F64, $f:ident) => {{
        $p.w(" ")?;
        text::f64_bits($p.out, $f.0)?
    }};
    ($p:ident, $ty:ident, BrTableArg, $f:ident) => {
        $p.br_table($f)?
    };
    ($p:ident, $ty:ident, SelectTypes, $f:ident) => {
        $p.results_always(&$f.0)?
    };
    ($p:ident, $ty:ident, TryTableArg, $f:ident) => {
        $p.try_table($f)?
    };
    ($p:ident, $ty:ident, BrOnCastArg, $f:ident) => {
        $p.br_on_cast($f)?
    };
    ($p:ident, $ty:ident, V128Arg, $f:ident) => {
        $p.v128($f)?
    };
    ($p:ident, $ty:ident, ShuffleArg, $f:ident) => {
        for lane in $f.0 {
            $p.w(" ")?;
            $p.num(lane)?;
        }
    };
    ($p:ident, $ty:ident, MemArg1, $f:ident) => {
        $p.memarg(*$f, 0)?
    };
    ($p:ident, $ty:ident, MemArg2, $f:ident) => {
        $p.memarg(*$f, 1)?
    };
    ($p:ident, $ty:ident, MemArg4, $f:ident) => {
        $p.memarg(*$f, 2)?
    };
    ($p:ident, $ty:ident, MemArg8, $f:ident) => {
        $p.memarg(*$f, 3)?
    };
    ($p:ident, $ty:ident, MemArg16, $f:ident) => {
        $p.memarg(*$f, 4)?
    };
    ($p:ident, $ty:ident, BlockType, $f:ident) => {{
        $p.opening_label()?;
        $p.blocktype(*$f)?
    }};
    ($p:ident, $ty:ident, HeapType, $f:ident) => {{
        $p.w(" ")?;
        $p.heaptype(*$f)?
    }};
}

macro_rules! define_print {
    ($( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
        $({ $($field:ident : $imm:ident),* })?
        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*) => {
        impl<W: Write> Printer<'_, W> {
            /// Writes an instruction as the table spells it: the mnemonic,
            /// then each immediate in binary order.
            // `ty` is only read by rows with a field index.
            #[allow(unused_assignments)]
            fn instr_by_table(&mut self, instr: &Instr) -> fmt::Result {
                match instr {
                    $( $(
                        Instr::$name $({ $($field),* })? => {
                            self.w($text)?;
                            #[allow(unused_mut, unused_variables)]
                            let mut ty = u32::MAX;
                            $( $( imm!(self, ty, $imm, $field); )* )?
                        }
                    )* )*
                }
                Ok(())
            }
        }
    };
}

weft_ast::for_each_instr!(define_print);

impl<W: Write> Printer<'_, W> {
    /// Writes an instruction: mnemonic and immediates, no layout.
    pub fn instr(&mut self, instr: &Instr) -> fmt::Result {
        match instr {
            // Text gives the table before the type use.
            Instr::CallIndirect { ty, table } | Instr::ReturnCallIndirect { ty, table } => {
                self.w(instr.name())?;
                if *table != 0 || self.ids.tables.get(*table).is_some() {
                    self.index(|i: &Ids| &i.tables, *table)?;
                }
                self.typeuse(*ty)
            }
            // Text gives the table (or memory) before the segment.
            Instr::TableInit { elem, table } => {
                self.w("table.init")?;
                self.index(|i: &Ids| &i.tables, *table)?;
                self.index(|i: &Ids| &i.elems, *elem)
            }
            Instr::MemoryInit { data, mem } => {
                self.w("memory.init")?;
                self.index(|i: &Ids| &i.memories, *mem)?;
                self.index(|i: &Ids| &i.datas, *data)
            }
            // Both memories or neither.
            Instr::MemoryCopy { dst, src } => {
                self.w("memory.copy")?;
                if *dst != 0 || *src != 0 || self.ids.memories.get(0).is_some() {
                    self.index(|i: &Ids| &i.memories, *dst)?;
                    self.index(|i: &Ids| &i.memories, *src)?;
                }
                Ok(())
            }
            Instr::RefTest { ty } | Instr::RefCast { ty } | Instr::RefCastDescEq { ty } => {
                self.w(instr.name())?;
                self.w(" ")?;
                self.reftype(RefType::new(false, *ty))
            }
            Instr::RefTestNull { ty }
            | Instr::RefCastNull { ty }
            | Instr::RefCastDescEqNull { ty } => {
                self.w(instr.name())?;
                self.w(" ")?;
                self.reftype(RefType::new(true, *ty))
            }
            _ => self.instr_by_table(instr),
        }
    }

    /// Writes ` N` for a memory index, left out for an unnamed memory 0
    /// (the default in every instruction that takes one).
    fn memory(&mut self, mem: u32) -> fmt::Result {
        if mem != 0 || self.ids.memories.get(0).is_some() {
            self.index(|i: &Ids| &i.memories, mem)?;
        }
        Ok(())
    }

    /// Writes a memory argument: memory, `offset=` when not zero, `align=`
    /// when not the access's natural alignment (`natural`, log2).
    fn memarg(&mut self, m: MemArg, natural: u8) -> fmt::Result {
        let MemArg {
            align,
            offset,
            memory,
        } = m;
        self.memory(memory)?;
        if offset != 0 {
            self.w(" offset=")?;
            self.num(offset)?;
        }
        if align != natural {
            self.w(" align=")?;
            match 1u64.checked_shl(align.into()) {
                Some(bytes) => self.num(bytes)?,
                // Beyond any valid alignment; the text cannot say it.
                None => self.w("0")?,
            }
        }
        Ok(())
    }

    fn br_table(&mut self, t: &BrTable) -> fmt::Result {
        for target in t.targets.iter() {
            self.label(*target)?;
        }
        self.label(t.default)
    }

    /// ` (result t*)`, even when empty (typed `select`).
    fn results_always(&mut self, types: &[ValType]) -> fmt::Result {
        self.w(" (result")?;
        for t in types {
            self.w(" ")?;
            self.valtype(*t)?;
        }
        self.w(")")
    }

    fn try_table(&mut self, t: &TryTable) -> fmt::Result {
        self.opening_label()?;
        self.blocktype(t.ty)?;
        for c in &t.catches {
            match *c {
                Catch::One { tag, label } => {
                    self.w(" (catch")?;
                    self.index(|i: &Ids| &i.tags, tag)?;
                    self.label(label)?;
                }
                Catch::OneRef { tag, label } => {
                    self.w(" (catch_ref")?;
                    self.index(|i: &Ids| &i.tags, tag)?;
                    self.label(label)?;
                }
                Catch::All { label } => {
                    self.w(" (catch_all")?;
                    self.label(label)?;
                }
                Catch::AllRef { label } => {
                    self.w(" (catch_all_ref")?;
                    self.label(label)?;
                }
            }
            self.w(")")?;
        }
        Ok(())
    }

    fn br_on_cast(&mut self, c: &BrOnCast) -> fmt::Result {
        self.label(c.label)?;
        self.w(" ")?;
        self.reftype(c.from)?;
        self.w(" ")?;
        self.reftype(c.to)
    }

    /// `v128.const` as four 32-bit lanes in hex: exact for any bits.
    fn v128(&mut self, v: &V128) -> fmt::Result {
        self.w(" i32x4")?;
        for lane in v.0.chunks_exact(4) {
            let lane = u32::from_le_bytes([lane[0], lane[1], lane[2], lane[3]]);
            self.w(" ")?;
            text::hex_fixed(self.out, lane.into(), 8)?;
        }
        Ok(())
    }
}
