//! Function bodies and constant expressions, checked instruction by
//! instruction over reusable stacks.

use weft_ast::{AddrType, Expr, Features, Func, Instr, Locals, TypeIdx, ValType};

use crate::ctx::Ctx;
use crate::error::{Location, Result, err};
use crate::stack::{Kind, Packed, Stacks, Tys};
use crate::valid::FuncFacts;

/// The most locals a function may declare, as deployed engines limit it; it
/// also bounds what validation allocates per function.
const MAX_LOCALS: u64 = 50_000;

/// The proposals with instructions, except legacy exceptions and custom
/// descriptors: off in the default feature set, they would otherwise make
/// every instruction of every body look its proposal up. Their
/// instructions are checked on the full path (`Stacks::instr`).
pub(crate) const INSTR_FEATURES: Features = Features::ALL
    .without(Features::LEGACY_EXCEPTIONS)
    .without(Features::CUSTOM_DESCRIPTORS)
    .without(Features::CUSTOM_PAGE_SIZES)
    .without(Features::MUTABLE_GLOBAL)
    .without(Features::MULTI_VALUE)
    .without(Features::MULTI_MEMORY)
    .without(Features::MEMORY64)
    .without(Features::EXTENDED_CONST);

fn span<'m>(ctx: &Ctx<'m>, e: Expr) -> Result<&'m [Instr]> {
    let code: &'m [Instr] = &ctx.m.code;
    code.get(e.start as usize..e.end as usize)
        .ok_or_else(|| err("malformed code span"))
}

/// Validates the body of defined function `func_idx`.
pub(crate) fn check_body<'m>(
    ctx: &Ctx<'m>,
    st: &mut Stacks<'m>,
    func_idx: u32,
    func: &'m Func,
) -> Result<FuncFacts> {
    let at = |e: crate::Error, instr: Option<u32>| {
        e.at(Location::Func {
            func: func_idx,
            instr,
        })
    };
    begin_body(ctx, st, func.ty, &func.locals).map_err(|e| at(e, None))?;
    let body = span(ctx, func.body).map_err(|e| at(e, None))?;
    let check = needs_feature_check(ctx);
    for (k, ins) in body.iter().enumerate() {
        let k = k as u32;
        step(ctx, st, ins, check).map_err(|e| at(e, Some(k)))?;
    }
    end_body(st, func.ty).map_err(|e| at(e, None))
}

/// Whether each instruction's proposal must be checked: with every
/// proposal that has instructions on (legacy exceptions aside, whose
/// instructions check for themselves), the check is skipped.
pub(crate) fn needs_feature_check(ctx: &Ctx<'_>) -> bool {
    !ctx.features.contains(INSTR_FEATURES)
}

/// Sets up the stacks for a body of type `ty` with these local
/// declarations (the errors have no location yet).
pub(crate) fn begin_body<'m>(
    ctx: &Ctx<'m>,
    st: &mut Stacks<'m>,
    ty: TypeIdx,
    locals: &[Locals],
) -> Result<()> {
    st.reset();
    let fty = ctx.func_type(ty)?;
    let mut total = fty.params.len() as u64;
    for run in locals {
        total += run.count as u64;
        if total > MAX_LOCALS {
            return Err(err("too many locals"));
        }
        ctx.check_val_all(run.ty)?;
    }
    st.locals.extend_from_slice(&fty.params);
    st.inits.resize(fty.params.len(), true);
    for run in locals {
        let n = run.count as usize;
        st.locals.extend(std::iter::repeat_n(run.ty, n));
        st.inits
            .extend(std::iter::repeat_n(run.ty.is_defaultable(), n));
    }
    if st.inits.iter().all(|&i| i) {
        st.fast_locals
            .extend(st.locals.iter().map(|&t| Packed::of_val(t)));
    }
    st.mem0_i32 = matches!(ctx.mems.first(), Some(t) if t.addr == AddrType::I32);
    st.push_ctrl(Kind::Func, Tys::Empty, Tys::Many(&fty.results));
    Ok(())
}

/// Checks the next instruction of a body (the error carries its
/// mnemonic, not yet its location).
#[inline(always)]
pub(crate) fn step<'m>(ctx: &Ctx<'m>, st: &mut Stacks<'m>, ins: &Instr, check: bool) -> Result<()> {
    if st.ctrls.is_empty() {
        return Err(err("operators remaining after end of function"));
    }
    step_open(ctx, st, ins, check)
}

/// [`step`] for a caller that knows the function frame is still open (the
/// one-pass path stops feeding a body at the `end` that closes it).
#[inline(always)]
pub(crate) fn step_open<'m>(
    ctx: &Ctx<'m>,
    st: &mut Stacks<'m>,
    ins: &Instr,
    check: bool,
) -> Result<()> {
    if check {
        Stacks::check_feature(ctx, ins)?;
    }
    if st.instr_fast(ctx, ins) {
        return Ok(());
    }
    st.instr(ctx, ins).map_err(|e| e.with_op(ins.name()))
}

/// The facts of a body whose instructions were all checked.
pub(crate) fn end_body(st: &mut Stacks<'_>, ty: TypeIdx) -> Result<FuncFacts> {
    if !st.ctrls.is_empty() {
        return Err(err("unexpected end of function: missing end"));
    }
    Ok(FuncFacts {
        ty,
        num_locals: st.locals.len() as u32,
    })
}

/// Validates a constant expression of type `expected`; `visible_globals`
/// is how many globals (from index 0) it may read.
pub(crate) fn check_const<'m>(
    ctx: &Ctx<'m>,
    st: &mut Stacks<'m>,
    e: Expr,
    expected: ValType,
    visible_globals: u32,
) -> Result<()> {
    let instrs = span(ctx, e)?;
    // The common case, a segment offset or a global's initial value: one
    // constant of the expected type and `end`. Modules with many segments
    // (98,450 in esbuild) spend more in the general walk than in decoding.
    if let [first, Instr::End] = instrs
        && ctx.features.contains(first.feature())
        && matches!(
            (first, expected),
            (Instr::I32Const { .. }, ValType::I32)
                | (Instr::I64Const { .. }, ValType::I64)
                | (Instr::F32Const { .. }, ValType::F32)
                | (Instr::F64Const { .. }, ValType::F64)
        )
    {
        return Ok(());
    }
    st.reset();
    st.push_ctrl(Kind::Const, Tys::Empty, Tys::One(expected));
    for ins in instrs {
        if st.ctrls.is_empty() {
            return Err(err("constant expression required: operators after end"));
        }
        let extended = ctx.features.contains(Features::EXTENDED_CONST);
        let gc = ctx.features.contains(Features::GC);
        let allowed = match ins {
            Instr::I32Const { .. }
            | Instr::I64Const { .. }
            | Instr::F32Const { .. }
            | Instr::F64Const { .. }
            | Instr::V128Const { .. }
            | Instr::RefNull { .. }
            | Instr::RefFunc { .. }
            | Instr::End => true,
            Instr::GlobalGet { global } => {
                if *global >= visible_globals {
                    return Err(err(format!("unknown global {global}")));
                }
                !ctx.global(*global)?.mutable
            }
            Instr::I32Add
            | Instr::I32Sub
            | Instr::I32Mul
            | Instr::I64Add
            | Instr::I64Sub
            | Instr::I64Mul => extended,
            Instr::StructNew { .. }
            | Instr::StructNewDefault { .. }
            | Instr::ArrayNew { .. }
            | Instr::ArrayNewDefault { .. }
            | Instr::ArrayNewFixed { .. }
            | Instr::RefI31
            | Instr::AnyConvertExtern
            | Instr::ExternConvertAny
            | Instr::StructNewDesc { .. }
            | Instr::StructNewDefaultDesc { .. } => gc,
            _ => false,
        };
        if !allowed {
            return Err(err(format!(
                "constant expression required: {} is not constant",
                ins.name()
            )));
        }
        Stacks::check_feature(ctx, ins)?;
        st.instr(ctx, ins)?;
    }
    if !st.ctrls.is_empty() {
        return Err(err("type mismatch: constant expression without end"));
    }
    Ok(())
}
