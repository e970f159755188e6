//! The interpreter and the JIT in lockstep over one script: every command
//! runs on both (each engine with its own store), and every action's
//! results or trap, and then the exported memories and globals of the
//! instance it acted on, must be equal. Whether they are what the script
//! expects is the runner's concern; this compares the engines with each
//! other, also where the script accepts more than one answer (NaN
//! patterns) or checks nothing (plain actions).

use weft_interp::{Engine, Extern, Store, Value};
use weft_wat::{Action, CommandKind};

use crate::runner::{Runner, Semantics};

/// What comparing the engines over a script found.
#[derive(Clone, Debug, Default)]
pub struct Divergences {
    /// Actions run on both engines.
    pub actions: u32,
    /// Where they differed: the command's line and how.
    pub found: Vec<(u32, String)>,
}

/// Runs `text` on both engines with `semantics` (its engine is ignored).
pub fn compare_engines(text: &str, semantics: Semantics) -> Divergences {
    let mut out = Divergences::default();
    let Ok(script) = weft_wat::parse_script_with(text, semantics.features) else {
        return out;
    };
    let mut runners = [Engine::Interp, Engine::Jit].map(|engine| {
        let mut r = Runner::new(
            semantics.features,
            semantics.limits,
            engine,
            semantics.memory_mode,
        );
        r.store
            .set_segments_checked_first(semantics.segments_checked_first);
        r
    });
    for command in &script.commands {
        let action = match &command.kind {
            CommandKind::Action(a)
            | CommandKind::AssertReturn { action: a, .. }
            | CommandKind::AssertTrap { action: a, .. }
            | CommandKind::AssertExhaustion { action: a, .. }
            | CommandKind::AssertException { action: a } => Some(a),
            _ => None,
        };
        for r in &mut runners {
            r.store.set_fuel(semantics.fuel);
        }
        let Some(action) = action else {
            for r in &mut runners {
                let _ = r.command(&command.kind);
            }
            continue;
        };
        out.actions += 1;
        let [a, b] = &mut runners;
        let (ra, rb) = (a.act(action), b.act(action));
        let (ra, rb) = (ra.map_err(|e| trap_only(&e)), rb.map_err(|e| trap_only(&e)));
        let equal = match (&ra, &rb) {
            (Ok(x), Ok(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
            _ => ra == rb,
        };
        if !equal {
            out.found.push((
                command.line,
                format!("{}: interpreter {ra:?}, jit {rb:?}", action_name(action)),
            ));
            continue;
        }
        let module = match action {
            Action::Invoke { module, .. } | Action::Get { module, .. } => module,
        };
        if let (Ok(ia), Ok(ib)) = (a.instance(module), b.instance(module))
            && let Some(why) = state_differs(&a.store, ia, &b.store, ib)
        {
            out.found
                .push((command.line, format!("{}: {why}", action_name(action))));
        }
    }
    out
}

fn action_name(a: &Action) -> &str {
    match a {
        Action::Invoke { name, .. } | Action::Get { name, .. } => name,
    }
}

/// An error without the interpreter's backtrace (the JIT keeps none yet).
fn trap_only(e: &str) -> String {
    e.split(" (at ").next().unwrap_or(e).to_string()
}

/// The first exported memory or global whose contents differ.
fn state_differs(
    sa: &Store,
    ia: weft_interp::Instance,
    sb: &Store,
    ib: weft_interp::Instance,
) -> Option<String> {
    let mut exports: Vec<(&str, Extern)> = sa.exports(ia).collect();
    exports.sort_by_key(|(n, _)| *n);
    for (name, ea) in exports {
        let eb = sb.export(ib, name)?;
        match (ea, eb) {
            (Extern::Memory(ma), Extern::Memory(mb)) => {
                let (da, db) = (sa.memory_data(ma).ok()?, sb.memory_data(mb).ok()?);
                if da != db {
                    let at = da.iter().zip(db).position(|(x, y)| x != y);
                    return Some(format!(
                        "memory {name} differs ({} and {} bytes, first at {at:?})",
                        da.len(),
                        db.len()
                    ));
                }
            }
            (Extern::Global(ga), Extern::Global(gb)) => {
                let (va, vb) = (sa.global_get(ga).ok()?, sb.global_get(gb).ok()?);
                if !same(&va, &vb) {
                    return Some(format!("global {name}: {va:?} and {vb:?}"));
                }
            }
            _ => {}
        }
    }
    None
}

/// Values equal, references by kind and nullness only (each engine's
/// store numbers its own), and any two NaNs of a type equal: when more
/// than one operand is a NaN, the spec lets an operator return any NaN
/// (which operand's payload survives is the engine's choice, and the JIT's
/// SSE instructions choose differently from the interpreter in
/// `f32.add`/`f32.mul`/`min`/`max`, scalar and lane-wise).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::FuncRef(x), Value::FuncRef(y)) => x.is_some() == y.is_some(),
        (Value::ExnRef(x), Value::ExnRef(y)) => x.is_some() == y.is_some(),
        (Value::F32(x), Value::F32(y)) => {
            x.0 == y.0 || (f32::from_bits(x.0).is_nan() && f32::from_bits(y.0).is_nan())
        }
        (Value::F64(x), Value::F64(y)) => {
            x.0 == y.0 || (f64::from_bits(x.0).is_nan() && f64::from_bits(y.0).is_nan())
        }
        // A vector has no lane type: equal when every 32-bit lane is equal
        // or a NaN in both, or every 64-bit lane is (the same rule for
        // `f32x4` and `f64x2` results).
        (Value::V128(x), Value::V128(y)) => {
            let lanes32 = (0..4).all(|i| {
                let (p, q) = ((x >> (32 * i)) as u32, (y >> (32 * i)) as u32);
                p == q || (f32::from_bits(p).is_nan() && f32::from_bits(q).is_nan())
            });
            let lanes64 = (0..2).all(|i| {
                let (p, q) = ((x >> (64 * i)) as u64, (y >> (64 * i)) as u64);
                p == q || (f64::from_bits(p).is_nan() && f64::from_bits(q).is_nan())
            });
            lanes32 || lanes64
        }
        _ => a == b,
    }
}
