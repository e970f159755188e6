//! Immediates in text: block types, labels, locals, fields, memory
//! arguments, lanes and vector literals, `br_table`, `try_table` and cast
//! targets.

use crate::cursor::PResult;
use crate::lexer::Kind;
use crate::module::ModuleParser;
use crate::names::Ns;
use crate::num;
use weft_ast::*;

impl ModuleParser<'_> {
    /// A block type: a type use, or no parameters and at most one result.
    pub(crate) fn block_type(&mut self) -> PResult<BlockType> {
        if self.c.peek_sexpr("type") {
            return Ok(BlockType::Func(self.anonymous_type_use()?));
        }
        let at = self.c.pos;
        let (ft, names) = self.params_results()?;
        if names.iter().any(|b| b.name.is_some()) {
            self.c.pos = at;
            return Err(self
                .c
                .error("unexpected token: named parameter in a block type"));
        }
        if ft.params.is_empty() && ft.results.len() <= 1 {
            return Ok(match ft.results.first() {
                Some(t) => BlockType::Val(*t),
                None => BlockType::Empty,
            });
        }
        Ok(BlockType::Func(self.implicit_type(ft)))
    }

    /// A type use whose parameters may not be named (block types,
    /// `call_indirect`).
    pub(crate) fn anonymous_type_use(&mut self) -> PResult<u32> {
        let at = self.c.pos;
        let (ty, names) = self.type_use()?;
        if names.iter().any(|b| b.name.is_some()) {
            self.c.pos = at;
            return Err(self.c.error("unexpected token: named parameter"));
        }
        Ok(ty)
    }

    /// `try_table`'s block type and catch clauses (labels resolved outside
    /// the block).
    pub(crate) fn try_table(&mut self) -> PResult<Box<TryTable>> {
        let ty = self.block_type()?;
        let mut catches = Vec::new();
        loop {
            let c = if self.c.eat_sexpr("catch") {
                let tag = self.index(Ns::Tag)?;
                Catch::One {
                    tag,
                    label: self.label()?,
                }
            } else if self.c.eat_sexpr("catch_ref") {
                let tag = self.index(Ns::Tag)?;
                Catch::OneRef {
                    tag,
                    label: self.label()?,
                }
            } else if self.c.eat_sexpr("catch_all") {
                Catch::All {
                    label: self.label()?,
                }
            } else if self.c.eat_sexpr("catch_all_ref") {
                Catch::AllRef {
                    label: self.label()?,
                }
            } else {
                break;
            };
            self.c.rparen()?;
            catches.push(c);
        }
        Ok(Box::new(TryTable { ty, catches }))
    }

    /// A label: `$id` of an enclosing block or a depth.
    pub(crate) fn label(&mut self) -> PResult<u32> {
        match self.c.peek() {
            Some(t) if t.kind == Kind::Id => {
                let name = crate::cursor::id_name(self.c.text(t));
                // By a map of each name's open depths: a lookup costs the
                // same however deep the nesting.
                let at = self
                    .scope
                    .label_depths
                    .get(&*name)
                    .and_then(|d| d.last().copied());
                match at {
                    Some(at) => {
                        self.c.bump();
                        Ok((self.scope.labels.len() - 1 - at) as u32)
                    }
                    None => Err(self.c.error(format!("unknown label ${name}"))),
                }
            }
            _ => self.c.u32(),
        }
    }

    /// A local: `$id` or index.
    pub(crate) fn local(&mut self) -> PResult<u32> {
        match self.c.peek() {
            Some(t) if t.kind == Kind::Id => {
                let name = crate::cursor::id_name(self.c.text(t));
                match self.scope.locals.get(&name) {
                    Some(i) => {
                        self.c.bump();
                        Ok(i)
                    }
                    None => Err(self.c.error(format!("unknown local ${name}"))),
                }
            }
            _ => self.c.u32(),
        }
    }

    /// A struct field of the type read just before.
    pub(crate) fn field_index(&mut self) -> PResult<u32> {
        match self.c.peek() {
            Some(t) if t.kind == Kind::Id => {
                let name = crate::cursor::id_name(self.c.text(t));
                match self
                    .spaces
                    .fields
                    .get(&self.last_type)
                    .and_then(|f| f.get(&name))
                {
                    Some(i) => {
                        self.c.bump();
                        Ok(i)
                    }
                    None => Err(self.c.error(format!("unknown field ${name}"))),
                }
            }
            _ => self.c.u32(),
        }
    }

    /// A type index immediate, remembered for a following field index.
    pub(crate) fn type_imm(&mut self) -> PResult<u32> {
        let t = self.type_index()?;
        self.last_type = t;
        Ok(t)
    }

    /// `br_table`'s labels: at least one; the last is the default.
    pub(crate) fn br_table(&mut self) -> PResult<Box<BrTable>> {
        let mut labels = vec![self.label()?];
        while self.is_index_at(0) {
            labels.push(self.label()?);
        }
        let default = labels.pop().unwrap_or(0);
        Ok(Box::new(BrTable {
            targets: labels.into_boxed_slice(),
            default,
        }))
    }

    /// A memory argument: optional memory, `offset=`, `align=`.
    pub(crate) fn memarg(&mut self, natural: u8) -> PResult<MemArg> {
        // An integer before a lane index is the memory only if another
        // number or `offset=`/`align=` follows it.
        let explicit = self.c.kind_at(0) == Some(Kind::Id)
            || self.c.is_int_at(0)
                && (!self.lane_follows
                    || self.c.is_int_at(1)
                    || self
                        .c
                        .keyword_at(1)
                        .is_some_and(|k| k.starts_with("offset=") || k.starts_with("align=")));
        let memory = if explicit { self.index(Ns::Memory)? } else { 0 };
        let mut offset = 0;
        if let Some(kw) = self.c.keyword_at(0)
            && let Some(v) = kw.strip_prefix("offset=")
        {
            // An offset beyond a 32-bit memory's range is a validation
            // error, not a syntax error.
            let wide = self.features.contains(Features::MEMORY64);
            offset = match num::u64(v) {
                Ok(o) if wide || o <= u64::from(u32::MAX) => o,
                Ok(_) => return Err(self.c.error("i32 constant out of range")),
                Err(num::NumError::OutOfRange) => {
                    return Err(self.c.error("i64 constant out of range"));
                }
                Err(num::NumError::Malformed) => {
                    return Err(self.c.error(format!("unknown operator {kw}")));
                }
            };
            self.c.bump();
        }
        let mut align = natural;
        if let Some(kw) = self.c.keyword_at(0)
            && let Some(v) = kw.strip_prefix("align=")
        {
            let a = match num::u64(v) {
                Ok(a) => a,
                Err(_) => return Err(self.c.error(format!("unknown operator {kw}"))),
            };
            if !a.is_power_of_two() {
                return Err(self.c.error("alignment must be a power of two"));
            }
            align = a.trailing_zeros() as u8;
            self.c.bump();
        }
        Ok(MemArg {
            align,
            offset,
            memory,
        })
    }

    /// A lane index.
    pub(crate) fn lane(&mut self) -> PResult<u8> {
        let signed = self
            .c
            .peek_num_text()
            .is_some_and(|t| t.starts_with(['+', '-']));
        if !self.c.is_int_at(0) || signed {
            return Err(self.c.unexpected());
        }
        match self.c.peek_num_text().map(num::u32) {
            Some(Ok(v)) if v <= 255 => {
                self.c.bump();
                Ok(v as u8)
            }
            _ => Err(self.c.error("i8 constant out of range")),
        }
    }

    /// `v128.const`'s shape and lanes.
    pub(crate) fn v128(&mut self) -> PResult<Box<V128>> {
        let shape = self.c.keyword()?;
        let mut bytes = Vec::with_capacity(16);
        let (lanes, width) = match shape {
            "i8x16" => (16, 1),
            "i16x8" => (8, 2),
            "i32x4" | "f32x4" => (4, 4),
            "i64x2" | "f64x2" => (2, 8),
            _ => return Err(self.c.error("unexpected token")),
        };
        let given = (0..=lanes).take_while(|&i| self.is_literal_at(i)).count();
        if given != lanes {
            return Err(self.c.error("wrong number of lane literals"));
        }
        for _ in 0..lanes {
            match (shape, width) {
                ("i8x16", _) => bytes.push(self.c.number("i8", num::i8)?),
                ("i16x8", _) => {
                    bytes.extend(self.c.number("i16", num::i16)?.to_le_bytes());
                }
                ("i32x4", _) => {
                    bytes.extend(self.c.number("i32", num::i32)?.to_le_bytes());
                }
                ("i64x2", _) => {
                    bytes.extend(self.c.number("i64", num::i64)?.to_le_bytes());
                }
                ("f32x4", _) => {
                    bytes.extend(self.c.number("f32", num::f32)?.to_le_bytes());
                }
                _ => bytes.extend(self.c.number("f64", num::f64)?.to_le_bytes()),
            }
        }
        let mut v = [0u8; 16];
        v.copy_from_slice(&bytes);
        Ok(Box::new(V128(v)))
    }

    /// Whether the token `n` places ahead is a number-like literal (a
    /// reserved atom, `inf` or `nan...`), for counting lanes: a following
    /// instruction keyword is not one.
    pub(crate) fn is_literal_at(&self, n: usize) -> bool {
        match self.c.peek_at(n) {
            Some(t) if t.kind == Kind::Reserved => true,
            Some(t) if t.kind == Kind::Keyword => {
                let s = self.c.text(t);
                s.starts_with("nan") || s.starts_with("inf")
            }
            _ => false,
        }
    }

    /// `i8x16.shuffle`'s sixteen lane indices.
    pub(crate) fn shuffle(&mut self) -> PResult<Box<Shuffle>> {
        let given = (0..=16).take_while(|&i| self.is_literal_at(i)).count();
        if given != 16 {
            return Err(self.c.error("wrong number of lane indices"));
        }
        let mut lanes = [0u8; 16];
        for lane in &mut lanes {
            *lane = self.lane()?;
        }
        Ok(Box::new(Shuffle(lanes)))
    }

    pub(crate) fn br_on_cast(&mut self) -> PResult<Box<BrOnCast>> {
        let label = self.label()?;
        let from = self.ref_type()?;
        let to = self.ref_type()?;
        Ok(Box::new(BrOnCast { label, from, to }))
    }
}
