//! `.wast` scripts: commands, values, expected results, module sources.

use weft_ast::Features;
use weft_wat::*;

const SCRIPT: &str = r#"
(module $m (func (export "f") (param i32) (result i32) local.get 0))
(register "m" $m)
(assert_return (invoke $m "f" (i32.const -1)) (i32.const 0xffff_ffff))
(assert_return (invoke "g" (f32.const 1.5) (v128.const i16x8 1 2 3 4 5 6 7 -1))
  (f32.const nan:canonical)
  (v128.const f64x2 nan:arithmetic -0x1p0)
  (either (ref.null func) (ref.extern 3) (ref.func)))
(assert_malformed (module quote "(func i32.frob)") "unknown operator")
(assert_invalid (module (func (result i32))) "type mismatch")
(module binary "\00asm" "\01\00\00\00")
(assert_trap (invoke "f" (i32.const 0)) "unreachable")
(module definition $d (func))
(module instance $i $d)
(thread $t (shared (module $m)) (invoke $m "f" (i32.const 1)))
(wait $t)
(assert_malformed (module (func (i32.const nan:canonical))) "unexpected token")
"#;

#[test]
fn commands_with_lines() {
    let s = parse_script(SCRIPT).unwrap();
    let lines: Vec<u32> = s.commands.iter().map(|c| c.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    let CommandKind::Module(m) = &s.commands[0].kind else {
        panic!("not a module")
    };
    assert_eq!(m.id.as_deref(), Some("m"));
    assert!(matches!(&m.source, ModuleSource::Text(Ok(_))));
    assert_eq!(&SCRIPT[m.span.clone()][..10], "(module $m");
    let CommandKind::Register { name, module } = &s.commands[1].kind else {
        panic!("not a register")
    };
    assert_eq!((name.as_str(), module.as_deref()), ("m", Some("m")));
}

#[test]
fn values_and_patterns() {
    let s = parse_script(SCRIPT).unwrap();
    let CommandKind::AssertReturn { action, results } = &s.commands[2].kind else {
        panic!()
    };
    assert_eq!(
        *action,
        Action::Invoke {
            module: Some("m".into()),
            name: "f".into(),
            args: vec![Value::I32(-1)]
        }
    );
    assert_eq!(*results, [Expected::I32(-1)]);
    let CommandKind::AssertReturn { action, results } = &s.commands[3].kind else {
        panic!()
    };
    let Action::Invoke { args, .. } = action else {
        panic!()
    };
    assert_eq!(args[0], Value::F32(weft_ast::Ieee32(0x3fc0_0000)));
    let Value::V128(v) = &args[1] else { panic!() };
    assert_eq!(&v.0[..4], [1, 0, 2, 0]);
    assert_eq!(&v.0[14..], [0xff, 0xff]);
    assert_eq!(results[0], Expected::F32(NumPattern::CanonicalNan));
    assert_eq!(
        results[1],
        Expected::V128 {
            shape: Shape::F64x2,
            lanes: vec![
                NumPattern::ArithmeticNan,
                NumPattern::Bits((-1.0f64).to_bits())
            ]
        }
    );
    assert_eq!(
        results[2],
        Expected::Either(vec![
            Expected::RefNull(Some(weft_ast::AbsHeap::Func)),
            Expected::RefExtern(Some(3)),
            Expected::RefFunc
        ])
    );
}

#[test]
fn module_sources() {
    let s = parse_script(SCRIPT).unwrap();
    let CommandKind::AssertMalformed { module, message } = &s.commands[4].kind else {
        panic!()
    };
    assert!(matches!(module.source, ModuleSource::Quote(_)));
    let e = module.to_module(Features::default()).unwrap_err();
    assert!(e.message().contains(message.as_str()));
    let CommandKind::Module(bin) = &s.commands[6].kind else {
        panic!()
    };
    assert_eq!(
        bin.to_binary(Features::default()).unwrap(),
        b"\0asm\x01\0\0\0"
    );
    let CommandKind::Module(def) = &s.commands[8].kind else {
        panic!()
    };
    assert!(def.definition);
    assert!(matches!(
        &s.commands[9].kind,
        CommandKind::Instance { instance: Some(i), module: Some(d) } if i == "i" && d == "d"
    ));
    let CommandKind::Thread {
        name,
        shared,
        commands,
    } = &s.commands[10].kind
    else {
        panic!()
    };
    assert_eq!(
        (name.as_str(), shared.as_slice(), commands.len()),
        ("t", &["m".to_string()][..], 1)
    );
    // A broken text module does not break the script: its error is kept.
    let CommandKind::AssertMalformed { module, .. } = &s.commands[12].kind else {
        panic!()
    };
    let ModuleSource::Text(Err(e)) = &module.source else {
        panic!("the module should not parse")
    };
    assert!(e.message().contains("unexpected token"));
}

#[test]
fn a_bare_module_is_a_script() {
    let s = parse_script("(func) (memory 0)").unwrap();
    assert_eq!(s.commands.len(), 1);
    let CommandKind::Module(m) = &s.commands[0].kind else {
        panic!()
    };
    let module = m.to_module(Features::default()).unwrap();
    assert_eq!((module.funcs.len(), module.memories.len()), (1, 1));
}

#[test]
fn broken_scripts_are_errors_not_panics() {
    for text in [
        "(assert_return (invoke \"f\" (i32.const)))",
        "(assert_return",
        "(either",
        "(thread $t (thread $u (thread $v",
        &"(thread $t ".repeat(10_000),
        "(assert_return (invoke \"f\") (either (either (i32.const 1))))",
        "(module quote \"\\ff\")",
    ] {
        if let Ok(s) = parse_script(text) {
            // Accepted only as a module (a quote, or bare fields) whose own
            // parse fails.
            let CommandKind::Module(m) = &s.commands[0].kind else {
                panic!("{text}")
            };
            assert!(m.to_module(Features::default()).is_err(), "{text}");
        }
    }
}

#[test]
fn script_modules_keep_custom_and_name_annotations() {
    let s = parse_script(
        r#"(module $a (@name "A") (@custom "c" (before first) "1") (func (param $p (@name "P") i32)))
           (module definition $d (@custom "d" "2"))
           (module quote "(@custom \"q\" \"3\")" "(func)")"#,
    )
    .unwrap();
    let modules: Vec<weft_ast::Module> = s
        .commands
        .iter()
        .map(|c| match &c.kind {
            CommandKind::Module(m) => m.to_module(Features::default()).unwrap(),
            other => panic!("{other:?}"),
        })
        .collect();
    let custom_names = |m: &weft_ast::Module| -> Vec<String> {
        m.customs
            .iter()
            .filter_map(|c| match &c.kind {
                weft_ast::CustomKind::Raw { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(custom_names(&modules[0]), ["c"]);
    assert_eq!(modules[0].names.module.as_deref(), Some("A"));
    assert_eq!(modules[0].names.locals, [(0, vec![(0, "P".to_string())])]);
    assert_eq!(custom_names(&modules[1]), ["d"]);
    assert_eq!(custom_names(&modules[2]), ["q"]);
}
