//! `shrink` on generated modules: a module of 60 functions with one
//! planted instruction comes down to at most 3 functions that still hold
//! it; every candidate the predicate sees is valid; the result is the
//! same on a second run.

use weft_ast::{Features, Instr, Module};
use weft_smith::{Config, from_seed, row_of, shrink};

fn has(m: &Module, row: usize) -> bool {
    m.funcs
        .iter()
        .any(|f| m.instrs(f.body).iter().any(|i| row_of(i) == row))
}

/// A generated module of 60 functions, with `i32.const 1, i32.popcnt,
/// drop` planted at the start of function 37 (and no other popcnt).
fn big_module() -> (Module, Features) {
    let config = Config {
        min_funcs: 60,
        max_funcs: 60,
        ..Config::default()
    }
    .deny(["i32.popcnt"])
    .unwrap();
    let (mut m, features) = from_seed(7, &config);
    let f = 37;
    let old = m.funcs[f].body;
    let mut code = vec![Instr::I32Const { value: 1 }, Instr::I32Popcnt, Instr::Drop];
    code.extend_from_slice(m.instrs(old));
    m.funcs[f].body = m.push_expr(code);
    (m, features)
}

#[test]
fn planted_instruction_survives_in_a_tiny_module() {
    let (m, features) = big_module();
    assert!(m.funcs.len() >= 50);
    let planted = row_of(&Instr::I32Popcnt);
    assert!(has(&m, planted));
    weft_validator::validate(&m, features).expect("planting keeps it valid");
    let mut seen_invalid = 0;
    let reduced = shrink(
        m.clone(),
        features,
        |c| {
            if weft_validator::validate(c, features).is_err() {
                seen_invalid += 1;
            }
            has(c, planted)
        },
        |_| {},
    );
    assert_eq!(seen_invalid, 0, "the predicate saw invalid candidates");
    weft_validator::validate(&reduced, features).expect("the result is valid");
    assert!(has(&reduced, planted));
    let funcs = reduced.funcs.len() + reduced.num_imports(weft_ast::ExternKind::Func) as usize;
    assert!(funcs <= 3, "{funcs} functions left");
    let again = shrink(m, features, |c| has(c, planted), |_| {});
    assert_eq!(
        again.encode(),
        reduced.encode(),
        "shrinking is deterministic"
    );
}

#[test]
fn an_uninteresting_module_comes_back_whole() {
    let (m, features) = big_module();
    let out = shrink(m.clone(), features, |_| false, |_| {});
    assert_eq!(out.encode(), m.encode());
}
