//! The one instruction table.
//!
//! Every instruction of every proposal is written down here, once: its text
//! mnemonic, its `Instr` variant, its binary encoding (a byte, or a prefix byte
//! and a LEB128 sub-opcode), its immediates in binary order and its
//! signature (operand and result types). Rows are grouped by the
//! [`Features`](crate::Features) flag that enables them.
//!
//! Other crates derive their code from the table by passing a macro of their
//! own to [`for_each_instr!`]. That macro receives the rows in this form:
//!
//! ```text
//! $( $feature:ident { $( $text:literal $name:ident $op:literal $($sub:literal)?
//!        $({ $($field:ident : $imm:ident),* })?
//!        [$($params:tt)*] -> $results:tt $($flag:ident)* ; )* } )*
//! ```
//!
//! `$feature` names a constant of `Features`. `$imm` is a single identifier
//! naming the immediate's *kind*; it is also a Rust type (often an alias of
//! `u32`), so that a derivation can both declare fields with it and dispatch on
//! its spelling (`FuncIdx` and `LocalIdx` are both `u32` but resolve `$id`s in
//! different index spaces). The memory argument kinds `MemArg1` .. `MemArg16`
//! are all [`MemArg`](crate::MemArg) and name the access's natural alignment in
//! bytes.
//!
//! The signature is `[operands] -> [results]`, deepest operand first, or
//! `[operands] -> never` when control does not continue; value types stand
//! for themselves and a few placeholders (`addr`, `local`, `params`, ...)
//! for what the immediates determine: see [`sig`](crate::sig) for their
//! meaning and [`Sig`](crate::Sig) for the column as data
//! ([`Instr::signature`](crate::Instr::signature)). Flags may follow the
//! signature; none is defined yet, and derivations accept and ignore them.
//!
//! Some mnemonics appear on two rows (`select`, `ref.test`, `ref.cast`,
//! `ref.cast_desc_eq`):
//! their text form picks the row by its immediates.

/// Calls `$m! { table }` with the whole instruction table; see the module
/// documentation for the shape of the rows.
#[macro_export]
macro_rules! for_each_instr {
    ($m:ident) => {
        $m! {
            MVP {
                "unreachable" Unreachable 0x00 [] -> never;
                "nop" Nop 0x01 [] -> [];
                "block" Block 0x02 { ty: BlockType } [params] -> [results];
                "loop" Loop 0x03 { ty: BlockType } [params] -> [results];
                "if" If 0x04 { ty: BlockType } [params i32] -> [results];
                "else" Else 0x05 [results] -> [params];
                "end" End 0x0b [results] -> [results];
                "br" Br 0x0c { label: LabelIdx } [label] -> never;
                "br_if" BrIf 0x0d { label: LabelIdx } [label i32] -> [label];
                "br_table" BrTable 0x0e { table: BrTableArg } [label i32] -> never;
                "return" Return 0x0f [returns] -> never;
                "call" Call 0x10 { func: FuncIdx } [params] -> [results];
                "call_indirect" CallIndirect 0x11 { ty: TypeIdx, table: TableIdx } [params addr] -> [results];
                "drop" Drop 0x1a [t] -> [];
                "select" Select 0x1b [t t i32] -> [t];
                "local.get" LocalGet 0x20 { local: LocalIdx } [] -> [local];
                "local.set" LocalSet 0x21 { local: LocalIdx } [local] -> [];
                "local.tee" LocalTee 0x22 { local: LocalIdx } [local] -> [local];
                "global.get" GlobalGet 0x23 { global: GlobalIdx } [] -> [global];
                "global.set" GlobalSet 0x24 { global: GlobalIdx } [global] -> [];
                "i32.load" I32Load 0x28 { memarg: MemArg4 } [addr] -> [i32];
                "i64.load" I64Load 0x29 { memarg: MemArg8 } [addr] -> [i64];
                "f32.load" F32Load 0x2a { memarg: MemArg4 } [addr] -> [f32];
                "f64.load" F64Load 0x2b { memarg: MemArg8 } [addr] -> [f64];
                "i32.load8_s" I32Load8S 0x2c { memarg: MemArg1 } [addr] -> [i32];
                "i32.load8_u" I32Load8U 0x2d { memarg: MemArg1 } [addr] -> [i32];
                "i32.load16_s" I32Load16S 0x2e { memarg: MemArg2 } [addr] -> [i32];
                "i32.load16_u" I32Load16U 0x2f { memarg: MemArg2 } [addr] -> [i32];
                "i64.load8_s" I64Load8S 0x30 { memarg: MemArg1 } [addr] -> [i64];
                "i64.load8_u" I64Load8U 0x31 { memarg: MemArg1 } [addr] -> [i64];
                "i64.load16_s" I64Load16S 0x32 { memarg: MemArg2 } [addr] -> [i64];
                "i64.load16_u" I64Load16U 0x33 { memarg: MemArg2 } [addr] -> [i64];
                "i64.load32_s" I64Load32S 0x34 { memarg: MemArg4 } [addr] -> [i64];
                "i64.load32_u" I64Load32U 0x35 { memarg: MemArg4 } [addr] -> [i64];
                "i32.store" I32Store 0x36 { memarg: MemArg4 } [addr i32] -> [];
                "i64.store" I64Store 0x37 { memarg: MemArg8 } [addr i64] -> [];
                "f32.store" F32Store 0x38 { memarg: MemArg4 } [addr f32] -> [];
                "f64.store" F64Store 0x39 { memarg: MemArg8 } [addr f64] -> [];
                "i32.store8" I32Store8 0x3a { memarg: MemArg1 } [addr i32] -> [];
                "i32.store16" I32Store16 0x3b { memarg: MemArg2 } [addr i32] -> [];
                "i64.store8" I64Store8 0x3c { memarg: MemArg1 } [addr i64] -> [];
                "i64.store16" I64Store16 0x3d { memarg: MemArg2 } [addr i64] -> [];
                "i64.store32" I64Store32 0x3e { memarg: MemArg4 } [addr i64] -> [];
                "memory.size" MemorySize 0x3f { mem: MemIdx } [] -> [addr];
                "memory.grow" MemoryGrow 0x40 { mem: MemIdx } [addr] -> [addr];
                "i32.const" I32Const 0x41 { value: I32 } [] -> [i32];
                "i64.const" I64Const 0x42 { value: I64 } [] -> [i64];
                "f32.const" F32Const 0x43 { value: F32 } [] -> [f32];
                "f64.const" F64Const 0x44 { value: F64 } [] -> [f64];
                "i32.eqz" I32Eqz 0x45 [i32] -> [i32];
                "i32.eq" I32Eq 0x46 [i32 i32] -> [i32];
                "i32.ne" I32Ne 0x47 [i32 i32] -> [i32];
                "i32.lt_s" I32LtS 0x48 [i32 i32] -> [i32];
                "i32.lt_u" I32LtU 0x49 [i32 i32] -> [i32];
                "i32.gt_s" I32GtS 0x4a [i32 i32] -> [i32];
                "i32.gt_u" I32GtU 0x4b [i32 i32] -> [i32];
                "i32.le_s" I32LeS 0x4c [i32 i32] -> [i32];
                "i32.le_u" I32LeU 0x4d [i32 i32] -> [i32];
                "i32.ge_s" I32GeS 0x4e [i32 i32] -> [i32];
                "i32.ge_u" I32GeU 0x4f [i32 i32] -> [i32];
                "i64.eqz" I64Eqz 0x50 [i64] -> [i32];
                "i64.eq" I64Eq 0x51 [i64 i64] -> [i32];
                "i64.ne" I64Ne 0x52 [i64 i64] -> [i32];
                "i64.lt_s" I64LtS 0x53 [i64 i64] -> [i32];
                "i64.lt_u" I64LtU 0x54 [i64 i64] -> [i32];
                "i64.gt_s" I64GtS 0x55 [i64 i64] -> [i32];
                "i64.gt_u" I64GtU 0x56 [i64 i64] -> [i32];
                "i64.le_s" I64LeS 0x57 [i64 i64] -> [i32];
                "i64.le_u" I64LeU 0x58 [i64 i64] -> [i32];
                "i64.ge_s" I64GeS 0x59 [i64 i64] -> [i32];
                "i64.ge_u" I64GeU 0x5a [i64 i64] -> [i32];
                "f32.eq" F32Eq 0x5b [f32 f32] -> [i32];
                "f32.ne" F32Ne 0x5c [f32 f32] -> [i32];
                "f32.lt" F32Lt 0x5d [f32 f32] -> [i32];
                "f32.gt" F32Gt 0x5e [f32 f32] -> [i32];
                "f32.le" F32Le 0x5f [f32 f32] -> [i32];
                "f32.ge" F32Ge 0x60 [f32 f32] -> [i32];
                "f64.eq" F64Eq 0x61 [f64 f64] -> [i32];
                "f64.ne" F64Ne 0x62 [f64 f64] -> [i32];
                "f64.lt" F64Lt 0x63 [f64 f64] -> [i32];
                "f64.gt" F64Gt 0x64 [f64 f64] -> [i32];
                "f64.le" F64Le 0x65 [f64 f64] -> [i32];
                "f64.ge" F64Ge 0x66 [f64 f64] -> [i32];
                "i32.clz" I32Clz 0x67 [i32] -> [i32];
                "i32.ctz" I32Ctz 0x68 [i32] -> [i32];
                "i32.popcnt" I32Popcnt 0x69 [i32] -> [i32];
                "i32.add" I32Add 0x6a [i32 i32] -> [i32];
                "i32.sub" I32Sub 0x6b [i32 i32] -> [i32];
                "i32.mul" I32Mul 0x6c [i32 i32] -> [i32];
                "i32.div_s" I32DivS 0x6d [i32 i32] -> [i32];
                "i32.div_u" I32DivU 0x6e [i32 i32] -> [i32];
                "i32.rem_s" I32RemS 0x6f [i32 i32] -> [i32];
                "i32.rem_u" I32RemU 0x70 [i32 i32] -> [i32];
                "i32.and" I32And 0x71 [i32 i32] -> [i32];
                "i32.or" I32Or 0x72 [i32 i32] -> [i32];
                "i32.xor" I32Xor 0x73 [i32 i32] -> [i32];
                "i32.shl" I32Shl 0x74 [i32 i32] -> [i32];
                "i32.shr_s" I32ShrS 0x75 [i32 i32] -> [i32];
                "i32.shr_u" I32ShrU 0x76 [i32 i32] -> [i32];
                "i32.rotl" I32Rotl 0x77 [i32 i32] -> [i32];
                "i32.rotr" I32Rotr 0x78 [i32 i32] -> [i32];
                "i64.clz" I64Clz 0x79 [i64] -> [i64];
                "i64.ctz" I64Ctz 0x7a [i64] -> [i64];
                "i64.popcnt" I64Popcnt 0x7b [i64] -> [i64];
                "i64.add" I64Add 0x7c [i64 i64] -> [i64];
                "i64.sub" I64Sub 0x7d [i64 i64] -> [i64];
                "i64.mul" I64Mul 0x7e [i64 i64] -> [i64];
                "i64.div_s" I64DivS 0x7f [i64 i64] -> [i64];
                "i64.div_u" I64DivU 0x80 [i64 i64] -> [i64];
                "i64.rem_s" I64RemS 0x81 [i64 i64] -> [i64];
                "i64.rem_u" I64RemU 0x82 [i64 i64] -> [i64];
                "i64.and" I64And 0x83 [i64 i64] -> [i64];
                "i64.or" I64Or 0x84 [i64 i64] -> [i64];
                "i64.xor" I64Xor 0x85 [i64 i64] -> [i64];
                "i64.shl" I64Shl 0x86 [i64 i64] -> [i64];
                "i64.shr_s" I64ShrS 0x87 [i64 i64] -> [i64];
                "i64.shr_u" I64ShrU 0x88 [i64 i64] -> [i64];
                "i64.rotl" I64Rotl 0x89 [i64 i64] -> [i64];
                "i64.rotr" I64Rotr 0x8a [i64 i64] -> [i64];
                "f32.abs" F32Abs 0x8b [f32] -> [f32];
                "f32.neg" F32Neg 0x8c [f32] -> [f32];
                "f32.ceil" F32Ceil 0x8d [f32] -> [f32];
                "f32.floor" F32Floor 0x8e [f32] -> [f32];
                "f32.trunc" F32Trunc 0x8f [f32] -> [f32];
                "f32.nearest" F32Nearest 0x90 [f32] -> [f32];
                "f32.sqrt" F32Sqrt 0x91 [f32] -> [f32];
                "f32.add" F32Add 0x92 [f32 f32] -> [f32];
                "f32.sub" F32Sub 0x93 [f32 f32] -> [f32];
                "f32.mul" F32Mul 0x94 [f32 f32] -> [f32];
                "f32.div" F32Div 0x95 [f32 f32] -> [f32];
                "f32.min" F32Min 0x96 [f32 f32] -> [f32];
                "f32.max" F32Max 0x97 [f32 f32] -> [f32];
                "f32.copysign" F32Copysign 0x98 [f32 f32] -> [f32];
                "f64.abs" F64Abs 0x99 [f64] -> [f64];
                "f64.neg" F64Neg 0x9a [f64] -> [f64];
                "f64.ceil" F64Ceil 0x9b [f64] -> [f64];
                "f64.floor" F64Floor 0x9c [f64] -> [f64];
                "f64.trunc" F64Trunc 0x9d [f64] -> [f64];
                "f64.nearest" F64Nearest 0x9e [f64] -> [f64];
                "f64.sqrt" F64Sqrt 0x9f [f64] -> [f64];
                "f64.add" F64Add 0xa0 [f64 f64] -> [f64];
                "f64.sub" F64Sub 0xa1 [f64 f64] -> [f64];
                "f64.mul" F64Mul 0xa2 [f64 f64] -> [f64];
                "f64.div" F64Div 0xa3 [f64 f64] -> [f64];
                "f64.min" F64Min 0xa4 [f64 f64] -> [f64];
                "f64.max" F64Max 0xa5 [f64 f64] -> [f64];
                "f64.copysign" F64Copysign 0xa6 [f64 f64] -> [f64];
                "i32.wrap_i64" I32WrapI64 0xa7 [i64] -> [i32];
                "i32.trunc_f32_s" I32TruncF32S 0xa8 [f32] -> [i32];
                "i32.trunc_f32_u" I32TruncF32U 0xa9 [f32] -> [i32];
                "i32.trunc_f64_s" I32TruncF64S 0xaa [f64] -> [i32];
                "i32.trunc_f64_u" I32TruncF64U 0xab [f64] -> [i32];
                "i64.extend_i32_s" I64ExtendI32S 0xac [i32] -> [i64];
                "i64.extend_i32_u" I64ExtendI32U 0xad [i32] -> [i64];
                "i64.trunc_f32_s" I64TruncF32S 0xae [f32] -> [i64];
                "i64.trunc_f32_u" I64TruncF32U 0xaf [f32] -> [i64];
                "i64.trunc_f64_s" I64TruncF64S 0xb0 [f64] -> [i64];
                "i64.trunc_f64_u" I64TruncF64U 0xb1 [f64] -> [i64];
                "f32.convert_i32_s" F32ConvertI32S 0xb2 [i32] -> [f32];
                "f32.convert_i32_u" F32ConvertI32U 0xb3 [i32] -> [f32];
                "f32.convert_i64_s" F32ConvertI64S 0xb4 [i64] -> [f32];
                "f32.convert_i64_u" F32ConvertI64U 0xb5 [i64] -> [f32];
                "f32.demote_f64" F32DemoteF64 0xb6 [f64] -> [f32];
                "f64.convert_i32_s" F64ConvertI32S 0xb7 [i32] -> [f64];
                "f64.convert_i32_u" F64ConvertI32U 0xb8 [i32] -> [f64];
                "f64.convert_i64_s" F64ConvertI64S 0xb9 [i64] -> [f64];
                "f64.convert_i64_u" F64ConvertI64U 0xba [i64] -> [f64];
                "f64.promote_f32" F64PromoteF32 0xbb [f32] -> [f64];
                "i32.reinterpret_f32" I32ReinterpretF32 0xbc [f32] -> [i32];
                "i64.reinterpret_f64" I64ReinterpretF64 0xbd [f64] -> [i64];
                "f32.reinterpret_i32" F32ReinterpretI32 0xbe [i32] -> [f32];
                "f64.reinterpret_i64" F64ReinterpretI64 0xbf [i64] -> [f64];
            }
            SIGN_EXTENSION {
                "i32.extend8_s" I32Extend8S 0xc0 [i32] -> [i32];
                "i32.extend16_s" I32Extend16S 0xc1 [i32] -> [i32];
                "i64.extend8_s" I64Extend8S 0xc2 [i64] -> [i64];
                "i64.extend16_s" I64Extend16S 0xc3 [i64] -> [i64];
                "i64.extend32_s" I64Extend32S 0xc4 [i64] -> [i64];
            }
            SATURATING_FLOAT_TO_INT {
                "i32.trunc_sat_f32_s" I32TruncSatF32S 0xfc 0 [f32] -> [i32];
                "i32.trunc_sat_f32_u" I32TruncSatF32U 0xfc 1 [f32] -> [i32];
                "i32.trunc_sat_f64_s" I32TruncSatF64S 0xfc 2 [f64] -> [i32];
                "i32.trunc_sat_f64_u" I32TruncSatF64U 0xfc 3 [f64] -> [i32];
                "i64.trunc_sat_f32_s" I64TruncSatF32S 0xfc 4 [f32] -> [i64];
                "i64.trunc_sat_f32_u" I64TruncSatF32U 0xfc 5 [f32] -> [i64];
                "i64.trunc_sat_f64_s" I64TruncSatF64S 0xfc 6 [f64] -> [i64];
                "i64.trunc_sat_f64_u" I64TruncSatF64U 0xfc 7 [f64] -> [i64];
            }
            BULK_MEMORY {
                "memory.init" MemoryInit 0xfc 8 { data: DataIdx, mem: MemIdx } [addr i32 i32] -> [];
                "data.drop" DataDrop 0xfc 9 { data: DataIdx } [] -> [];
                "memory.copy" MemoryCopy 0xfc 10 { dst: MemIdx, src: MemIdx } [addr addr_src addr_min] -> [];
                "memory.fill" MemoryFill 0xfc 11 { mem: MemIdx } [addr i32 addr] -> [];
                "table.init" TableInit 0xfc 12 { elem: ElemIdx, table: TableIdx } [addr i32 i32] -> [];
                "elem.drop" ElemDrop 0xfc 13 { elem: ElemIdx } [] -> [];
                "table.copy" TableCopy 0xfc 14 { dst: TableIdx, src: TableIdx } [addr addr_src addr_min] -> [];
            }
            REFERENCE_TYPES {
                "select" SelectT 0x1c { types: SelectTypes } [t t i32] -> [t];
                "table.get" TableGet 0x25 { table: TableIdx } [addr] -> [elemref];
                "table.set" TableSet 0x26 { table: TableIdx } [addr elemref] -> [];
                "table.grow" TableGrow 0xfc 15 { table: TableIdx } [elemref addr] -> [addr];
                "table.size" TableSize 0xfc 16 { table: TableIdx } [] -> [addr];
                "table.fill" TableFill 0xfc 17 { table: TableIdx } [addr elemref addr] -> [];
                "ref.null" RefNull 0xd0 { ty: HeapType } [] -> [(ref null ht)];
                "ref.is_null" RefIsNull 0xd1 [ref] -> [i32];
                "ref.func" RefFunc 0xd2 { func: FuncIdx } [] -> [(ref fty)];
            }
            TAIL_CALL {
                "return_call" ReturnCall 0x12 { func: FuncIdx } [params] -> never;
                "return_call_indirect" ReturnCallIndirect 0x13 { ty: TypeIdx, table: TableIdx } [params addr] -> never;
            }
            EXCEPTIONS {
                "throw" Throw 0x08 { tag: TagIdx } [params] -> never;
                "throw_ref" ThrowRef 0x0a [exnref] -> never;
                "try_table" TryTable 0x1f { table: TryTableArg } [params] -> [results];
            }
            LEGACY_EXCEPTIONS {
                "try" Try 0x06 { ty: BlockType } [params] -> [results];
                "catch" Catch 0x07 { tag: TagIdx } [results] -> [params];
                "rethrow" Rethrow 0x09 { label: LabelIdx } [] -> never;
                "delegate" Delegate 0x18 { label: LabelIdx } [results] -> [results];
                "catch_all" CatchAll 0x19 [results] -> [];
            }
            FUNCTION_REFERENCES {
                "call_ref" CallRef 0x14 { ty: TypeIdx } [params (ref null ty)] -> [results];
                "return_call_ref" ReturnCallRef 0x15 { ty: TypeIdx } [params (ref null ty)] -> never;
                "ref.as_non_null" RefAsNonNull 0xd4 [ref] -> [nonnull];
                "br_on_null" BrOnNull 0xd5 { label: LabelIdx } [label ref] -> [label nonnull];
                "br_on_non_null" BrOnNonNull 0xd6 { label: LabelIdx } [label_init ref] -> [label_init];
            }
            GC {
                "ref.eq" RefEq 0xd3 [eqref eqref] -> [i32];
                "struct.new" StructNew 0xfb 0 { ty: TypeIdx } [fields] -> [(ref ty)];
                "struct.new_default" StructNewDefault 0xfb 1 { ty: TypeIdx } [] -> [(ref ty)];
                "struct.get" StructGet 0xfb 2 { ty: TypeIdx, field: FieldIdx } [(ref null ty)] -> [field];
                "struct.get_s" StructGetS 0xfb 3 { ty: TypeIdx, field: FieldIdx } [(ref null ty)] -> [field];
                "struct.get_u" StructGetU 0xfb 4 { ty: TypeIdx, field: FieldIdx } [(ref null ty)] -> [field];
                "struct.set" StructSet 0xfb 5 { ty: TypeIdx, field: FieldIdx } [(ref null ty) field] -> [];
                "array.new" ArrayNew 0xfb 6 { ty: TypeIdx } [item i32] -> [(ref ty)];
                "array.new_default" ArrayNewDefault 0xfb 7 { ty: TypeIdx } [i32] -> [(ref ty)];
                "array.new_fixed" ArrayNewFixed 0xfb 8 { ty: TypeIdx, len: Count } [items] -> [(ref ty)];
                "array.new_data" ArrayNewData 0xfb 9 { ty: TypeIdx, data: DataIdx } [i32 i32] -> [(ref ty)];
                "array.new_elem" ArrayNewElem 0xfb 10 { ty: TypeIdx, elem: ElemIdx } [i32 i32] -> [(ref ty)];
                "array.get" ArrayGet 0xfb 11 { ty: TypeIdx } [(ref null ty) i32] -> [item];
                "array.get_s" ArrayGetS 0xfb 12 { ty: TypeIdx } [(ref null ty) i32] -> [item];
                "array.get_u" ArrayGetU 0xfb 13 { ty: TypeIdx } [(ref null ty) i32] -> [item];
                "array.set" ArraySet 0xfb 14 { ty: TypeIdx } [(ref null ty) i32 item] -> [];
                "array.len" ArrayLen 0xfb 15 [arrayref] -> [i32];
                "array.fill" ArrayFill 0xfb 16 { ty: TypeIdx } [(ref null ty) i32 item i32] -> [];
                "array.copy" ArrayCopy 0xfb 17 { dst: TypeIdx, src: TypeIdx } [(ref null dst) i32 (ref null src) i32 i32] -> [];
                "array.init_data" ArrayInitData 0xfb 18 { ty: TypeIdx, data: DataIdx } [(ref null ty) i32 i32 i32] -> [];
                "array.init_elem" ArrayInitElem 0xfb 19 { ty: TypeIdx, elem: ElemIdx } [(ref null ty) i32 i32 i32] -> [];
                "ref.test" RefTest 0xfb 20 { ty: HeapType } [(ref null top)] -> [i32];
                "ref.test" RefTestNull 0xfb 21 { ty: HeapType } [(ref null top)] -> [i32];
                "ref.cast" RefCast 0xfb 22 { ty: HeapType } [(ref null top)] -> [(ref ht)];
                "ref.cast" RefCastNull 0xfb 23 { ty: HeapType } [(ref null top)] -> [(ref null ht)];
                "br_on_cast" BrOnCast 0xfb 24 { cast: BrOnCastArg } [label_init cast_from] -> [label_init cast_diff];
                "br_on_cast_fail" BrOnCastFail 0xfb 25 { cast: BrOnCastArg } [label_init cast_from] -> [label_init cast_to];
                "any.convert_extern" AnyConvertExtern 0xfb 26 [(ref null? extern)] -> [(ref null? any)];
                "extern.convert_any" ExternConvertAny 0xfb 27 [(ref null? any)] -> [(ref null? extern)];
                "ref.i31" RefI31 0xfb 28 [i32] -> [(ref i31)];
                "i31.get_s" I31GetS 0xfb 29 [i31ref] -> [i32];
                "i31.get_u" I31GetU 0xfb 30 [i31ref] -> [i32];
            }
            CUSTOM_DESCRIPTORS {
                "struct.new_desc" StructNewDesc 0xfb 32 { ty: TypeIdx } [fields (ref null desc)] -> [(ref ty)];
                "struct.new_default_desc" StructNewDefaultDesc 0xfb 33 { ty: TypeIdx } [(ref null desc)] -> [(ref ty)];
                "ref.get_desc" RefGetDesc 0xfb 34 { ty: TypeIdx } [(ref null ty)] -> [(ref desc)];
                "ref.cast_desc_eq" RefCastDescEq 0xfb 35 { ty: HeapType } [(ref null top) (ref null desc)] -> [(ref ht)];
                "ref.cast_desc_eq" RefCastDescEqNull 0xfb 36 { ty: HeapType } [(ref null top) (ref null desc)] -> [(ref null ht)];
                "br_on_cast_desc_eq" BrOnCastDescEq 0xfb 37 { cast: BrOnCastArg } [label_init cast_from (ref null desc)] -> [label_init cast_diff];
                "br_on_cast_desc_eq_fail" BrOnCastDescEqFail 0xfb 38 { cast: BrOnCastArg } [label_init cast_from (ref null desc)] -> [label_init cast_to];
            }
            WIDE_ARITHMETIC {
                "i64.add128" I64Add128 0xfc 19 [i64 i64 i64 i64] -> [i64 i64];
                "i64.sub128" I64Sub128 0xfc 20 [i64 i64 i64 i64] -> [i64 i64];
                "i64.mul_wide_s" I64MulWideS 0xfc 21 [i64 i64] -> [i64 i64];
                "i64.mul_wide_u" I64MulWideU 0xfc 22 [i64 i64] -> [i64 i64];
            }
            SIMD {
                "v128.load" V128Load 0xfd 0 { memarg: MemArg16 } [addr] -> [v128];
                "v128.load8x8_s" V128Load8x8S 0xfd 1 { memarg: MemArg8 } [addr] -> [v128];
                "v128.load8x8_u" V128Load8x8U 0xfd 2 { memarg: MemArg8 } [addr] -> [v128];
                "v128.load16x4_s" V128Load16x4S 0xfd 3 { memarg: MemArg8 } [addr] -> [v128];
                "v128.load16x4_u" V128Load16x4U 0xfd 4 { memarg: MemArg8 } [addr] -> [v128];
                "v128.load32x2_s" V128Load32x2S 0xfd 5 { memarg: MemArg8 } [addr] -> [v128];
                "v128.load32x2_u" V128Load32x2U 0xfd 6 { memarg: MemArg8 } [addr] -> [v128];
                "v128.load8_splat" V128Load8Splat 0xfd 7 { memarg: MemArg1 } [addr] -> [v128];
                "v128.load16_splat" V128Load16Splat 0xfd 8 { memarg: MemArg2 } [addr] -> [v128];
                "v128.load32_splat" V128Load32Splat 0xfd 9 { memarg: MemArg4 } [addr] -> [v128];
                "v128.load64_splat" V128Load64Splat 0xfd 10 { memarg: MemArg8 } [addr] -> [v128];
                "v128.store" V128Store 0xfd 11 { memarg: MemArg16 } [addr v128] -> [];
                "v128.const" V128Const 0xfd 12 { value: V128Arg } [] -> [v128];
                "i8x16.shuffle" I8x16Shuffle 0xfd 13 { lanes: ShuffleArg } [v128 v128] -> [v128];
                "i8x16.swizzle" I8x16Swizzle 0xfd 14 [v128 v128] -> [v128];
                "i8x16.splat" I8x16Splat 0xfd 15 [i32] -> [v128];
                "i16x8.splat" I16x8Splat 0xfd 16 [i32] -> [v128];
                "i32x4.splat" I32x4Splat 0xfd 17 [i32] -> [v128];
                "i64x2.splat" I64x2Splat 0xfd 18 [i64] -> [v128];
                "f32x4.splat" F32x4Splat 0xfd 19 [f32] -> [v128];
                "f64x2.splat" F64x2Splat 0xfd 20 [f64] -> [v128];
                "i8x16.extract_lane_s" I8x16ExtractLaneS 0xfd 21 { lane: Lane } [v128] -> [i32];
                "i8x16.extract_lane_u" I8x16ExtractLaneU 0xfd 22 { lane: Lane } [v128] -> [i32];
                "i8x16.replace_lane" I8x16ReplaceLane 0xfd 23 { lane: Lane } [v128 i32] -> [v128];
                "i16x8.extract_lane_s" I16x8ExtractLaneS 0xfd 24 { lane: Lane } [v128] -> [i32];
                "i16x8.extract_lane_u" I16x8ExtractLaneU 0xfd 25 { lane: Lane } [v128] -> [i32];
                "i16x8.replace_lane" I16x8ReplaceLane 0xfd 26 { lane: Lane } [v128 i32] -> [v128];
                "i32x4.extract_lane" I32x4ExtractLane 0xfd 27 { lane: Lane } [v128] -> [i32];
                "i32x4.replace_lane" I32x4ReplaceLane 0xfd 28 { lane: Lane } [v128 i32] -> [v128];
                "i64x2.extract_lane" I64x2ExtractLane 0xfd 29 { lane: Lane } [v128] -> [i64];
                "i64x2.replace_lane" I64x2ReplaceLane 0xfd 30 { lane: Lane } [v128 i64] -> [v128];
                "f32x4.extract_lane" F32x4ExtractLane 0xfd 31 { lane: Lane } [v128] -> [f32];
                "f32x4.replace_lane" F32x4ReplaceLane 0xfd 32 { lane: Lane } [v128 f32] -> [v128];
                "f64x2.extract_lane" F64x2ExtractLane 0xfd 33 { lane: Lane } [v128] -> [f64];
                "f64x2.replace_lane" F64x2ReplaceLane 0xfd 34 { lane: Lane } [v128 f64] -> [v128];
                "i8x16.eq" I8x16Eq 0xfd 35 [v128 v128] -> [v128];
                "i8x16.ne" I8x16Ne 0xfd 36 [v128 v128] -> [v128];
                "i8x16.lt_s" I8x16LtS 0xfd 37 [v128 v128] -> [v128];
                "i8x16.lt_u" I8x16LtU 0xfd 38 [v128 v128] -> [v128];
                "i8x16.gt_s" I8x16GtS 0xfd 39 [v128 v128] -> [v128];
                "i8x16.gt_u" I8x16GtU 0xfd 40 [v128 v128] -> [v128];
                "i8x16.le_s" I8x16LeS 0xfd 41 [v128 v128] -> [v128];
                "i8x16.le_u" I8x16LeU 0xfd 42 [v128 v128] -> [v128];
                "i8x16.ge_s" I8x16GeS 0xfd 43 [v128 v128] -> [v128];
                "i8x16.ge_u" I8x16GeU 0xfd 44 [v128 v128] -> [v128];
                "i16x8.eq" I16x8Eq 0xfd 45 [v128 v128] -> [v128];
                "i16x8.ne" I16x8Ne 0xfd 46 [v128 v128] -> [v128];
                "i16x8.lt_s" I16x8LtS 0xfd 47 [v128 v128] -> [v128];
                "i16x8.lt_u" I16x8LtU 0xfd 48 [v128 v128] -> [v128];
                "i16x8.gt_s" I16x8GtS 0xfd 49 [v128 v128] -> [v128];
                "i16x8.gt_u" I16x8GtU 0xfd 50 [v128 v128] -> [v128];
                "i16x8.le_s" I16x8LeS 0xfd 51 [v128 v128] -> [v128];
                "i16x8.le_u" I16x8LeU 0xfd 52 [v128 v128] -> [v128];
                "i16x8.ge_s" I16x8GeS 0xfd 53 [v128 v128] -> [v128];
                "i16x8.ge_u" I16x8GeU 0xfd 54 [v128 v128] -> [v128];
                "i32x4.eq" I32x4Eq 0xfd 55 [v128 v128] -> [v128];
                "i32x4.ne" I32x4Ne 0xfd 56 [v128 v128] -> [v128];
                "i32x4.lt_s" I32x4LtS 0xfd 57 [v128 v128] -> [v128];
                "i32x4.lt_u" I32x4LtU 0xfd 58 [v128 v128] -> [v128];
                "i32x4.gt_s" I32x4GtS 0xfd 59 [v128 v128] -> [v128];
                "i32x4.gt_u" I32x4GtU 0xfd 60 [v128 v128] -> [v128];
                "i32x4.le_s" I32x4LeS 0xfd 61 [v128 v128] -> [v128];
                "i32x4.le_u" I32x4LeU 0xfd 62 [v128 v128] -> [v128];
                "i32x4.ge_s" I32x4GeS 0xfd 63 [v128 v128] -> [v128];
                "i32x4.ge_u" I32x4GeU 0xfd 64 [v128 v128] -> [v128];
                "f32x4.eq" F32x4Eq 0xfd 65 [v128 v128] -> [v128];
                "f32x4.ne" F32x4Ne 0xfd 66 [v128 v128] -> [v128];
                "f32x4.lt" F32x4Lt 0xfd 67 [v128 v128] -> [v128];
                "f32x4.gt" F32x4Gt 0xfd 68 [v128 v128] -> [v128];
                "f32x4.le" F32x4Le 0xfd 69 [v128 v128] -> [v128];
                "f32x4.ge" F32x4Ge 0xfd 70 [v128 v128] -> [v128];
                "f64x2.eq" F64x2Eq 0xfd 71 [v128 v128] -> [v128];
                "f64x2.ne" F64x2Ne 0xfd 72 [v128 v128] -> [v128];
                "f64x2.lt" F64x2Lt 0xfd 73 [v128 v128] -> [v128];
                "f64x2.gt" F64x2Gt 0xfd 74 [v128 v128] -> [v128];
                "f64x2.le" F64x2Le 0xfd 75 [v128 v128] -> [v128];
                "f64x2.ge" F64x2Ge 0xfd 76 [v128 v128] -> [v128];
                "v128.not" V128Not 0xfd 77 [v128] -> [v128];
                "v128.and" V128And 0xfd 78 [v128 v128] -> [v128];
                "v128.andnot" V128AndNot 0xfd 79 [v128 v128] -> [v128];
                "v128.or" V128Or 0xfd 80 [v128 v128] -> [v128];
                "v128.xor" V128Xor 0xfd 81 [v128 v128] -> [v128];
                "v128.bitselect" V128Bitselect 0xfd 82 [v128 v128 v128] -> [v128];
                "v128.any_true" V128AnyTrue 0xfd 83 [v128] -> [i32];
                "v128.load8_lane" V128Load8Lane 0xfd 84 { memarg: MemArg1, lane: Lane } [addr v128] -> [v128];
                "v128.load16_lane" V128Load16Lane 0xfd 85 { memarg: MemArg2, lane: Lane } [addr v128] -> [v128];
                "v128.load32_lane" V128Load32Lane 0xfd 86 { memarg: MemArg4, lane: Lane } [addr v128] -> [v128];
                "v128.load64_lane" V128Load64Lane 0xfd 87 { memarg: MemArg8, lane: Lane } [addr v128] -> [v128];
                "v128.store8_lane" V128Store8Lane 0xfd 88 { memarg: MemArg1, lane: Lane } [addr v128] -> [];
                "v128.store16_lane" V128Store16Lane 0xfd 89 { memarg: MemArg2, lane: Lane } [addr v128] -> [];
                "v128.store32_lane" V128Store32Lane 0xfd 90 { memarg: MemArg4, lane: Lane } [addr v128] -> [];
                "v128.store64_lane" V128Store64Lane 0xfd 91 { memarg: MemArg8, lane: Lane } [addr v128] -> [];
                "v128.load32_zero" V128Load32Zero 0xfd 92 { memarg: MemArg4 } [addr] -> [v128];
                "v128.load64_zero" V128Load64Zero 0xfd 93 { memarg: MemArg8 } [addr] -> [v128];
                "f32x4.demote_f64x2_zero" F32x4DemoteF64x2Zero 0xfd 94 [v128] -> [v128];
                "f64x2.promote_low_f32x4" F64x2PromoteLowF32x4 0xfd 95 [v128] -> [v128];
                "i8x16.abs" I8x16Abs 0xfd 96 [v128] -> [v128];
                "i8x16.neg" I8x16Neg 0xfd 97 [v128] -> [v128];
                "i8x16.popcnt" I8x16Popcnt 0xfd 98 [v128] -> [v128];
                "i8x16.all_true" I8x16AllTrue 0xfd 99 [v128] -> [i32];
                "i8x16.bitmask" I8x16Bitmask 0xfd 100 [v128] -> [i32];
                "i8x16.narrow_i16x8_s" I8x16NarrowI16x8S 0xfd 101 [v128 v128] -> [v128];
                "i8x16.narrow_i16x8_u" I8x16NarrowI16x8U 0xfd 102 [v128 v128] -> [v128];
                "f32x4.ceil" F32x4Ceil 0xfd 103 [v128] -> [v128];
                "f32x4.floor" F32x4Floor 0xfd 104 [v128] -> [v128];
                "f32x4.trunc" F32x4Trunc 0xfd 105 [v128] -> [v128];
                "f32x4.nearest" F32x4Nearest 0xfd 106 [v128] -> [v128];
                "i8x16.shl" I8x16Shl 0xfd 107 [v128 i32] -> [v128];
                "i8x16.shr_s" I8x16ShrS 0xfd 108 [v128 i32] -> [v128];
                "i8x16.shr_u" I8x16ShrU 0xfd 109 [v128 i32] -> [v128];
                "i8x16.add" I8x16Add 0xfd 110 [v128 v128] -> [v128];
                "i8x16.add_sat_s" I8x16AddSatS 0xfd 111 [v128 v128] -> [v128];
                "i8x16.add_sat_u" I8x16AddSatU 0xfd 112 [v128 v128] -> [v128];
                "i8x16.sub" I8x16Sub 0xfd 113 [v128 v128] -> [v128];
                "i8x16.sub_sat_s" I8x16SubSatS 0xfd 114 [v128 v128] -> [v128];
                "i8x16.sub_sat_u" I8x16SubSatU 0xfd 115 [v128 v128] -> [v128];
                "f64x2.ceil" F64x2Ceil 0xfd 116 [v128] -> [v128];
                "f64x2.floor" F64x2Floor 0xfd 117 [v128] -> [v128];
                "i8x16.min_s" I8x16MinS 0xfd 118 [v128 v128] -> [v128];
                "i8x16.min_u" I8x16MinU 0xfd 119 [v128 v128] -> [v128];
                "i8x16.max_s" I8x16MaxS 0xfd 120 [v128 v128] -> [v128];
                "i8x16.max_u" I8x16MaxU 0xfd 121 [v128 v128] -> [v128];
                "f64x2.trunc" F64x2Trunc 0xfd 122 [v128] -> [v128];
                "i8x16.avgr_u" I8x16AvgrU 0xfd 123 [v128 v128] -> [v128];
                "i16x8.extadd_pairwise_i8x16_s" I16x8ExtaddPairwiseI8x16S 0xfd 124 [v128] -> [v128];
                "i16x8.extadd_pairwise_i8x16_u" I16x8ExtaddPairwiseI8x16U 0xfd 125 [v128] -> [v128];
                "i32x4.extadd_pairwise_i16x8_s" I32x4ExtaddPairwiseI16x8S 0xfd 126 [v128] -> [v128];
                "i32x4.extadd_pairwise_i16x8_u" I32x4ExtaddPairwiseI16x8U 0xfd 127 [v128] -> [v128];
                "i16x8.abs" I16x8Abs 0xfd 128 [v128] -> [v128];
                "i16x8.neg" I16x8Neg 0xfd 129 [v128] -> [v128];
                "i16x8.q15mulr_sat_s" I16x8Q15MulrSatS 0xfd 130 [v128 v128] -> [v128];
                "i16x8.all_true" I16x8AllTrue 0xfd 131 [v128] -> [i32];
                "i16x8.bitmask" I16x8Bitmask 0xfd 132 [v128] -> [i32];
                "i16x8.narrow_i32x4_s" I16x8NarrowI32x4S 0xfd 133 [v128 v128] -> [v128];
                "i16x8.narrow_i32x4_u" I16x8NarrowI32x4U 0xfd 134 [v128 v128] -> [v128];
                "i16x8.extend_low_i8x16_s" I16x8ExtendLowI8x16S 0xfd 135 [v128] -> [v128];
                "i16x8.extend_high_i8x16_s" I16x8ExtendHighI8x16S 0xfd 136 [v128] -> [v128];
                "i16x8.extend_low_i8x16_u" I16x8ExtendLowI8x16U 0xfd 137 [v128] -> [v128];
                "i16x8.extend_high_i8x16_u" I16x8ExtendHighI8x16U 0xfd 138 [v128] -> [v128];
                "i16x8.shl" I16x8Shl 0xfd 139 [v128 i32] -> [v128];
                "i16x8.shr_s" I16x8ShrS 0xfd 140 [v128 i32] -> [v128];
                "i16x8.shr_u" I16x8ShrU 0xfd 141 [v128 i32] -> [v128];
                "i16x8.add" I16x8Add 0xfd 142 [v128 v128] -> [v128];
                "i16x8.add_sat_s" I16x8AddSatS 0xfd 143 [v128 v128] -> [v128];
                "i16x8.add_sat_u" I16x8AddSatU 0xfd 144 [v128 v128] -> [v128];
                "i16x8.sub" I16x8Sub 0xfd 145 [v128 v128] -> [v128];
                "i16x8.sub_sat_s" I16x8SubSatS 0xfd 146 [v128 v128] -> [v128];
                "i16x8.sub_sat_u" I16x8SubSatU 0xfd 147 [v128 v128] -> [v128];
                "f64x2.nearest" F64x2Nearest 0xfd 148 [v128] -> [v128];
                "i16x8.mul" I16x8Mul 0xfd 149 [v128 v128] -> [v128];
                "i16x8.min_s" I16x8MinS 0xfd 150 [v128 v128] -> [v128];
                "i16x8.min_u" I16x8MinU 0xfd 151 [v128 v128] -> [v128];
                "i16x8.max_s" I16x8MaxS 0xfd 152 [v128 v128] -> [v128];
                "i16x8.max_u" I16x8MaxU 0xfd 153 [v128 v128] -> [v128];
                "i16x8.avgr_u" I16x8AvgrU 0xfd 155 [v128 v128] -> [v128];
                "i16x8.extmul_low_i8x16_s" I16x8ExtmulLowI8x16S 0xfd 156 [v128 v128] -> [v128];
                "i16x8.extmul_high_i8x16_s" I16x8ExtmulHighI8x16S 0xfd 157 [v128 v128] -> [v128];
                "i16x8.extmul_low_i8x16_u" I16x8ExtmulLowI8x16U 0xfd 158 [v128 v128] -> [v128];
                "i16x8.extmul_high_i8x16_u" I16x8ExtmulHighI8x16U 0xfd 159 [v128 v128] -> [v128];
                "i32x4.abs" I32x4Abs 0xfd 160 [v128] -> [v128];
                "i32x4.neg" I32x4Neg 0xfd 161 [v128] -> [v128];
                "i32x4.all_true" I32x4AllTrue 0xfd 163 [v128] -> [i32];
                "i32x4.bitmask" I32x4Bitmask 0xfd 164 [v128] -> [i32];
                "i32x4.extend_low_i16x8_s" I32x4ExtendLowI16x8S 0xfd 167 [v128] -> [v128];
                "i32x4.extend_high_i16x8_s" I32x4ExtendHighI16x8S 0xfd 168 [v128] -> [v128];
                "i32x4.extend_low_i16x8_u" I32x4ExtendLowI16x8U 0xfd 169 [v128] -> [v128];
                "i32x4.extend_high_i16x8_u" I32x4ExtendHighI16x8U 0xfd 170 [v128] -> [v128];
                "i32x4.shl" I32x4Shl 0xfd 171 [v128 i32] -> [v128];
                "i32x4.shr_s" I32x4ShrS 0xfd 172 [v128 i32] -> [v128];
                "i32x4.shr_u" I32x4ShrU 0xfd 173 [v128 i32] -> [v128];
                "i32x4.add" I32x4Add 0xfd 174 [v128 v128] -> [v128];
                "i32x4.sub" I32x4Sub 0xfd 177 [v128 v128] -> [v128];
                "i32x4.mul" I32x4Mul 0xfd 181 [v128 v128] -> [v128];
                "i32x4.min_s" I32x4MinS 0xfd 182 [v128 v128] -> [v128];
                "i32x4.min_u" I32x4MinU 0xfd 183 [v128 v128] -> [v128];
                "i32x4.max_s" I32x4MaxS 0xfd 184 [v128 v128] -> [v128];
                "i32x4.max_u" I32x4MaxU 0xfd 185 [v128 v128] -> [v128];
                "i32x4.dot_i16x8_s" I32x4DotI16x8S 0xfd 186 [v128 v128] -> [v128];
                "i32x4.extmul_low_i16x8_s" I32x4ExtmulLowI16x8S 0xfd 188 [v128 v128] -> [v128];
                "i32x4.extmul_high_i16x8_s" I32x4ExtmulHighI16x8S 0xfd 189 [v128 v128] -> [v128];
                "i32x4.extmul_low_i16x8_u" I32x4ExtmulLowI16x8U 0xfd 190 [v128 v128] -> [v128];
                "i32x4.extmul_high_i16x8_u" I32x4ExtmulHighI16x8U 0xfd 191 [v128 v128] -> [v128];
                "i64x2.abs" I64x2Abs 0xfd 192 [v128] -> [v128];
                "i64x2.neg" I64x2Neg 0xfd 193 [v128] -> [v128];
                "i64x2.all_true" I64x2AllTrue 0xfd 195 [v128] -> [i32];
                "i64x2.bitmask" I64x2Bitmask 0xfd 196 [v128] -> [i32];
                "i64x2.extend_low_i32x4_s" I64x2ExtendLowI32x4S 0xfd 199 [v128] -> [v128];
                "i64x2.extend_high_i32x4_s" I64x2ExtendHighI32x4S 0xfd 200 [v128] -> [v128];
                "i64x2.extend_low_i32x4_u" I64x2ExtendLowI32x4U 0xfd 201 [v128] -> [v128];
                "i64x2.extend_high_i32x4_u" I64x2ExtendHighI32x4U 0xfd 202 [v128] -> [v128];
                "i64x2.shl" I64x2Shl 0xfd 203 [v128 i32] -> [v128];
                "i64x2.shr_s" I64x2ShrS 0xfd 204 [v128 i32] -> [v128];
                "i64x2.shr_u" I64x2ShrU 0xfd 205 [v128 i32] -> [v128];
                "i64x2.add" I64x2Add 0xfd 206 [v128 v128] -> [v128];
                "i64x2.sub" I64x2Sub 0xfd 209 [v128 v128] -> [v128];
                "i64x2.mul" I64x2Mul 0xfd 213 [v128 v128] -> [v128];
                "i64x2.eq" I64x2Eq 0xfd 214 [v128 v128] -> [v128];
                "i64x2.ne" I64x2Ne 0xfd 215 [v128 v128] -> [v128];
                "i64x2.lt_s" I64x2LtS 0xfd 216 [v128 v128] -> [v128];
                "i64x2.gt_s" I64x2GtS 0xfd 217 [v128 v128] -> [v128];
                "i64x2.le_s" I64x2LeS 0xfd 218 [v128 v128] -> [v128];
                "i64x2.ge_s" I64x2GeS 0xfd 219 [v128 v128] -> [v128];
                "i64x2.extmul_low_i32x4_s" I64x2ExtmulLowI32x4S 0xfd 220 [v128 v128] -> [v128];
                "i64x2.extmul_high_i32x4_s" I64x2ExtmulHighI32x4S 0xfd 221 [v128 v128] -> [v128];
                "i64x2.extmul_low_i32x4_u" I64x2ExtmulLowI32x4U 0xfd 222 [v128 v128] -> [v128];
                "i64x2.extmul_high_i32x4_u" I64x2ExtmulHighI32x4U 0xfd 223 [v128 v128] -> [v128];
                "f32x4.abs" F32x4Abs 0xfd 224 [v128] -> [v128];
                "f32x4.neg" F32x4Neg 0xfd 225 [v128] -> [v128];
                "f32x4.sqrt" F32x4Sqrt 0xfd 227 [v128] -> [v128];
                "f32x4.add" F32x4Add 0xfd 228 [v128 v128] -> [v128];
                "f32x4.sub" F32x4Sub 0xfd 229 [v128 v128] -> [v128];
                "f32x4.mul" F32x4Mul 0xfd 230 [v128 v128] -> [v128];
                "f32x4.div" F32x4Div 0xfd 231 [v128 v128] -> [v128];
                "f32x4.min" F32x4Min 0xfd 232 [v128 v128] -> [v128];
                "f32x4.max" F32x4Max 0xfd 233 [v128 v128] -> [v128];
                "f32x4.pmin" F32x4Pmin 0xfd 234 [v128 v128] -> [v128];
                "f32x4.pmax" F32x4Pmax 0xfd 235 [v128 v128] -> [v128];
                "f64x2.abs" F64x2Abs 0xfd 236 [v128] -> [v128];
                "f64x2.neg" F64x2Neg 0xfd 237 [v128] -> [v128];
                "f64x2.sqrt" F64x2Sqrt 0xfd 239 [v128] -> [v128];
                "f64x2.add" F64x2Add 0xfd 240 [v128 v128] -> [v128];
                "f64x2.sub" F64x2Sub 0xfd 241 [v128 v128] -> [v128];
                "f64x2.mul" F64x2Mul 0xfd 242 [v128 v128] -> [v128];
                "f64x2.div" F64x2Div 0xfd 243 [v128 v128] -> [v128];
                "f64x2.min" F64x2Min 0xfd 244 [v128 v128] -> [v128];
                "f64x2.max" F64x2Max 0xfd 245 [v128 v128] -> [v128];
                "f64x2.pmin" F64x2Pmin 0xfd 246 [v128 v128] -> [v128];
                "f64x2.pmax" F64x2Pmax 0xfd 247 [v128 v128] -> [v128];
                "i32x4.trunc_sat_f32x4_s" I32x4TruncSatF32x4S 0xfd 248 [v128] -> [v128];
                "i32x4.trunc_sat_f32x4_u" I32x4TruncSatF32x4U 0xfd 249 [v128] -> [v128];
                "f32x4.convert_i32x4_s" F32x4ConvertI32x4S 0xfd 250 [v128] -> [v128];
                "f32x4.convert_i32x4_u" F32x4ConvertI32x4U 0xfd 251 [v128] -> [v128];
                "i32x4.trunc_sat_f64x2_s_zero" I32x4TruncSatF64x2SZero 0xfd 252 [v128] -> [v128];
                "i32x4.trunc_sat_f64x2_u_zero" I32x4TruncSatF64x2UZero 0xfd 253 [v128] -> [v128];
                "f64x2.convert_low_i32x4_s" F64x2ConvertLowI32x4S 0xfd 254 [v128] -> [v128];
                "f64x2.convert_low_i32x4_u" F64x2ConvertLowI32x4U 0xfd 255 [v128] -> [v128];
            }
            RELAXED_SIMD {
                "i8x16.relaxed_swizzle" I8x16RelaxedSwizzle 0xfd 256 [v128 v128] -> [v128];
                "i32x4.relaxed_trunc_f32x4_s" I32x4RelaxedTruncF32x4S 0xfd 257 [v128] -> [v128];
                "i32x4.relaxed_trunc_f32x4_u" I32x4RelaxedTruncF32x4U 0xfd 258 [v128] -> [v128];
                "i32x4.relaxed_trunc_f64x2_s_zero" I32x4RelaxedTruncF64x2SZero 0xfd 259 [v128] -> [v128];
                "i32x4.relaxed_trunc_f64x2_u_zero" I32x4RelaxedTruncF64x2UZero 0xfd 260 [v128] -> [v128];
                "f32x4.relaxed_madd" F32x4RelaxedMadd 0xfd 261 [v128 v128 v128] -> [v128];
                "f32x4.relaxed_nmadd" F32x4RelaxedNmadd 0xfd 262 [v128 v128 v128] -> [v128];
                "f64x2.relaxed_madd" F64x2RelaxedMadd 0xfd 263 [v128 v128 v128] -> [v128];
                "f64x2.relaxed_nmadd" F64x2RelaxedNmadd 0xfd 264 [v128 v128 v128] -> [v128];
                "i8x16.relaxed_laneselect" I8x16RelaxedLaneselect 0xfd 265 [v128 v128 v128] -> [v128];
                "i16x8.relaxed_laneselect" I16x8RelaxedLaneselect 0xfd 266 [v128 v128 v128] -> [v128];
                "i32x4.relaxed_laneselect" I32x4RelaxedLaneselect 0xfd 267 [v128 v128 v128] -> [v128];
                "i64x2.relaxed_laneselect" I64x2RelaxedLaneselect 0xfd 268 [v128 v128 v128] -> [v128];
                "f32x4.relaxed_min" F32x4RelaxedMin 0xfd 269 [v128 v128] -> [v128];
                "f32x4.relaxed_max" F32x4RelaxedMax 0xfd 270 [v128 v128] -> [v128];
                "f64x2.relaxed_min" F64x2RelaxedMin 0xfd 271 [v128 v128] -> [v128];
                "f64x2.relaxed_max" F64x2RelaxedMax 0xfd 272 [v128 v128] -> [v128];
                "i16x8.relaxed_q15mulr_s" I16x8RelaxedQ15mulrS 0xfd 273 [v128 v128] -> [v128];
                "i16x8.relaxed_dot_i8x16_i7x16_s" I16x8RelaxedDotI8x16I7x16S 0xfd 274 [v128 v128] -> [v128];
                "i32x4.relaxed_dot_i8x16_i7x16_add_s" I32x4RelaxedDotI8x16I7x16AddS 0xfd 275 [v128 v128 v128] -> [v128];
            }
            THREADS {
                "memory.atomic.notify" MemoryAtomicNotify 0xfe 0 { memarg: MemArg4 } [addr i32] -> [i32];
                "memory.atomic.wait32" MemoryAtomicWait32 0xfe 1 { memarg: MemArg4 } [addr i32 i64] -> [i32];
                "memory.atomic.wait64" MemoryAtomicWait64 0xfe 2 { memarg: MemArg8 } [addr i64 i64] -> [i32];
                "atomic.fence" AtomicFence 0xfe 3 { flags: Byte } [] -> [];
                "i32.atomic.load" I32AtomicLoad 0xfe 16 { memarg: MemArg4 } [addr] -> [i32];
                "i64.atomic.load" I64AtomicLoad 0xfe 17 { memarg: MemArg8 } [addr] -> [i64];
                "i32.atomic.load8_u" I32AtomicLoad8U 0xfe 18 { memarg: MemArg1 } [addr] -> [i32];
                "i32.atomic.load16_u" I32AtomicLoad16U 0xfe 19 { memarg: MemArg2 } [addr] -> [i32];
                "i64.atomic.load8_u" I64AtomicLoad8U 0xfe 20 { memarg: MemArg1 } [addr] -> [i64];
                "i64.atomic.load16_u" I64AtomicLoad16U 0xfe 21 { memarg: MemArg2 } [addr] -> [i64];
                "i64.atomic.load32_u" I64AtomicLoad32U 0xfe 22 { memarg: MemArg4 } [addr] -> [i64];
                "i32.atomic.store" I32AtomicStore 0xfe 23 { memarg: MemArg4 } [addr i32] -> [];
                "i64.atomic.store" I64AtomicStore 0xfe 24 { memarg: MemArg8 } [addr i64] -> [];
                "i32.atomic.store8" I32AtomicStore8 0xfe 25 { memarg: MemArg1 } [addr i32] -> [];
                "i32.atomic.store16" I32AtomicStore16 0xfe 26 { memarg: MemArg2 } [addr i32] -> [];
                "i64.atomic.store8" I64AtomicStore8 0xfe 27 { memarg: MemArg1 } [addr i64] -> [];
                "i64.atomic.store16" I64AtomicStore16 0xfe 28 { memarg: MemArg2 } [addr i64] -> [];
                "i64.atomic.store32" I64AtomicStore32 0xfe 29 { memarg: MemArg4 } [addr i64] -> [];
                "i32.atomic.rmw.add" I32AtomicRmwAdd 0xfe 30 { memarg: MemArg4 } [addr i32] -> [i32];
                "i64.atomic.rmw.add" I64AtomicRmwAdd 0xfe 31 { memarg: MemArg8 } [addr i64] -> [i64];
                "i32.atomic.rmw8.add_u" I32AtomicRmw8AddU 0xfe 32 { memarg: MemArg1 } [addr i32] -> [i32];
                "i32.atomic.rmw16.add_u" I32AtomicRmw16AddU 0xfe 33 { memarg: MemArg2 } [addr i32] -> [i32];
                "i64.atomic.rmw8.add_u" I64AtomicRmw8AddU 0xfe 34 { memarg: MemArg1 } [addr i64] -> [i64];
                "i64.atomic.rmw16.add_u" I64AtomicRmw16AddU 0xfe 35 { memarg: MemArg2 } [addr i64] -> [i64];
                "i64.atomic.rmw32.add_u" I64AtomicRmw32AddU 0xfe 36 { memarg: MemArg4 } [addr i64] -> [i64];
                "i32.atomic.rmw.sub" I32AtomicRmwSub 0xfe 37 { memarg: MemArg4 } [addr i32] -> [i32];
                "i64.atomic.rmw.sub" I64AtomicRmwSub 0xfe 38 { memarg: MemArg8 } [addr i64] -> [i64];
                "i32.atomic.rmw8.sub_u" I32AtomicRmw8SubU 0xfe 39 { memarg: MemArg1 } [addr i32] -> [i32];
                "i32.atomic.rmw16.sub_u" I32AtomicRmw16SubU 0xfe 40 { memarg: MemArg2 } [addr i32] -> [i32];
                "i64.atomic.rmw8.sub_u" I64AtomicRmw8SubU 0xfe 41 { memarg: MemArg1 } [addr i64] -> [i64];
                "i64.atomic.rmw16.sub_u" I64AtomicRmw16SubU 0xfe 42 { memarg: MemArg2 } [addr i64] -> [i64];
                "i64.atomic.rmw32.sub_u" I64AtomicRmw32SubU 0xfe 43 { memarg: MemArg4 } [addr i64] -> [i64];
                "i32.atomic.rmw.and" I32AtomicRmwAnd 0xfe 44 { memarg: MemArg4 } [addr i32] -> [i32];
                "i64.atomic.rmw.and" I64AtomicRmwAnd 0xfe 45 { memarg: MemArg8 } [addr i64] -> [i64];
                "i32.atomic.rmw8.and_u" I32AtomicRmw8AndU 0xfe 46 { memarg: MemArg1 } [addr i32] -> [i32];
                "i32.atomic.rmw16.and_u" I32AtomicRmw16AndU 0xfe 47 { memarg: MemArg2 } [addr i32] -> [i32];
                "i64.atomic.rmw8.and_u" I64AtomicRmw8AndU 0xfe 48 { memarg: MemArg1 } [addr i64] -> [i64];
                "i64.atomic.rmw16.and_u" I64AtomicRmw16AndU 0xfe 49 { memarg: MemArg2 } [addr i64] -> [i64];
                "i64.atomic.rmw32.and_u" I64AtomicRmw32AndU 0xfe 50 { memarg: MemArg4 } [addr i64] -> [i64];
                "i32.atomic.rmw.or" I32AtomicRmwOr 0xfe 51 { memarg: MemArg4 } [addr i32] -> [i32];
                "i64.atomic.rmw.or" I64AtomicRmwOr 0xfe 52 { memarg: MemArg8 } [addr i64] -> [i64];
                "i32.atomic.rmw8.or_u" I32AtomicRmw8OrU 0xfe 53 { memarg: MemArg1 } [addr i32] -> [i32];
                "i32.atomic.rmw16.or_u" I32AtomicRmw16OrU 0xfe 54 { memarg: MemArg2 } [addr i32] -> [i32];
                "i64.atomic.rmw8.or_u" I64AtomicRmw8OrU 0xfe 55 { memarg: MemArg1 } [addr i64] -> [i64];
                "i64.atomic.rmw16.or_u" I64AtomicRmw16OrU 0xfe 56 { memarg: MemArg2 } [addr i64] -> [i64];
                "i64.atomic.rmw32.or_u" I64AtomicRmw32OrU 0xfe 57 { memarg: MemArg4 } [addr i64] -> [i64];
                "i32.atomic.rmw.xor" I32AtomicRmwXor 0xfe 58 { memarg: MemArg4 } [addr i32] -> [i32];
                "i64.atomic.rmw.xor" I64AtomicRmwXor 0xfe 59 { memarg: MemArg8 } [addr i64] -> [i64];
                "i32.atomic.rmw8.xor_u" I32AtomicRmw8XorU 0xfe 60 { memarg: MemArg1 } [addr i32] -> [i32];
                "i32.atomic.rmw16.xor_u" I32AtomicRmw16XorU 0xfe 61 { memarg: MemArg2 } [addr i32] -> [i32];
                "i64.atomic.rmw8.xor_u" I64AtomicRmw8XorU 0xfe 62 { memarg: MemArg1 } [addr i64] -> [i64];
                "i64.atomic.rmw16.xor_u" I64AtomicRmw16XorU 0xfe 63 { memarg: MemArg2 } [addr i64] -> [i64];
                "i64.atomic.rmw32.xor_u" I64AtomicRmw32XorU 0xfe 64 { memarg: MemArg4 } [addr i64] -> [i64];
                "i32.atomic.rmw.xchg" I32AtomicRmwXchg 0xfe 65 { memarg: MemArg4 } [addr i32] -> [i32];
                "i64.atomic.rmw.xchg" I64AtomicRmwXchg 0xfe 66 { memarg: MemArg8 } [addr i64] -> [i64];
                "i32.atomic.rmw8.xchg_u" I32AtomicRmw8XchgU 0xfe 67 { memarg: MemArg1 } [addr i32] -> [i32];
                "i32.atomic.rmw16.xchg_u" I32AtomicRmw16XchgU 0xfe 68 { memarg: MemArg2 } [addr i32] -> [i32];
                "i64.atomic.rmw8.xchg_u" I64AtomicRmw8XchgU 0xfe 69 { memarg: MemArg1 } [addr i64] -> [i64];
                "i64.atomic.rmw16.xchg_u" I64AtomicRmw16XchgU 0xfe 70 { memarg: MemArg2 } [addr i64] -> [i64];
                "i64.atomic.rmw32.xchg_u" I64AtomicRmw32XchgU 0xfe 71 { memarg: MemArg4 } [addr i64] -> [i64];
                "i32.atomic.rmw.cmpxchg" I32AtomicRmwCmpxchg 0xfe 72 { memarg: MemArg4 } [addr i32 i32] -> [i32];
                "i64.atomic.rmw.cmpxchg" I64AtomicRmwCmpxchg 0xfe 73 { memarg: MemArg8 } [addr i64 i64] -> [i64];
                "i32.atomic.rmw8.cmpxchg_u" I32AtomicRmw8CmpxchgU 0xfe 74 { memarg: MemArg1 } [addr i32 i32] -> [i32];
                "i32.atomic.rmw16.cmpxchg_u" I32AtomicRmw16CmpxchgU 0xfe 75 { memarg: MemArg2 } [addr i32 i32] -> [i32];
                "i64.atomic.rmw8.cmpxchg_u" I64AtomicRmw8CmpxchgU 0xfe 76 { memarg: MemArg1 } [addr i64 i64] -> [i64];
                "i64.atomic.rmw16.cmpxchg_u" I64AtomicRmw16CmpxchgU 0xfe 77 { memarg: MemArg2 } [addr i64 i64] -> [i64];
                "i64.atomic.rmw32.cmpxchg_u" I64AtomicRmw32CmpxchgU 0xfe 78 { memarg: MemArg4 } [addr i64 i64] -> [i64];
            }
        }
    };
}
