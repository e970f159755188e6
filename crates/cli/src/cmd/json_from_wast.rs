//! `weft json-from-wast FILE.wast -o OUT.json`: a script in the JSON form
//! of wabt's `wast2json`, for harnesses that read that form: a
//! `commands` list whose modules are files written beside `OUT.json`
//! (`OUT.0.wasm`, `OUT.1.wat`, ...), every value as its bits in decimal.
//!
//! Modules are written as wast2json writes them: a module that parses
//! (text, quoted or binary) as its binary (`module_type: binary`; a text
//! module's without the name section of its `$id`s), one
//! that is to be malformed as text (or whose text does not parse) as the
//! text itself (`.wat`, `module_type: text`). `(assert_trap (module ...))`
//! is wast2json's `assert_uninstantiable`. Additions for what wast2json
//! predates: `module_definition`/`module_instance`, `assert_exception`,
//! the `_custom` assertions, `either` results and GC reference results
//! (`structref`, `arrayref`, `i31ref`, `eqref`, `anyref`, `exnref`).
//! `thread` and `wait` blocks and unknown commands are left out (a note on
//! standard error counts them).
//!
//! [`to_wast`] reads that JSON back into a script, which is how `weft
//! wast` runs a `.json` file: the same commands, with the same results.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use weft_ast::{AbsHeap, Features};
use weft_wat::{
    Action, CommandKind, Expected, ModuleSource, NumPattern, ScriptModule, Shape, Value as Arg,
};

use super::{Error, FeatureArgs};

/// Arguments of `weft json-from-wast`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft json-from-wast i32.wast -o out/i32.json")]
pub struct JsonFromWastArgs {
    /// The script.
    input: PathBuf,
    /// The JSON file to write; the modules go beside it.
    #[arg(short, long, value_name = "OUT.json")]
    output: PathBuf,
    /// Proposals the script's text modules may use (default: `all`).
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft json-from-wast`.
pub fn run(args: JsonFromWastArgs) -> Result<(), Error> {
    if super::is_stdio(&args.output) {
        return Err(Error::Usage(
            "json-from-wast: -o needs a file (the modules are written beside it)".into(),
        ));
    }
    let features = args.features.decoding()?;
    let text = read_text(&args.input)?;
    let stem = args
        .output
        .file_stem()
        .map_or("out".into(), |s| s.to_string_lossy().into_owned());
    let source = args
        .input
        .file_name()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let converted = convert(&text, &source, &stem, features).map_err(|e| Error::Text {
        path: args.input.clone(),
        text: text.clone(),
        source: e,
    })?;
    if converted.left_out > 0 {
        eprintln!(
            "note: {} thread, wait or unknown commands left out",
            converted.left_out
        );
    }
    let dir = args
        .output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Modules first, the JSON last; a failure removes what was written.
    let mut written: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (name, bytes) in &converted.files {
            let path = dir.join(name);
            super::write(&path, bytes)?;
            written.push(path);
        }
        let json = serde_json::to_string_pretty(&converted.json).unwrap_or_default();
        super::write(&args.output, format!("{json}\n").as_bytes())
    })();
    if result.is_err() {
        for path in written {
            let _ = std::fs::remove_file(path);
        }
    }
    result
}

/// Reads a script as UTF-8.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = super::read(path)?;
    String::from_utf8(bytes).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "malformed UTF-8 encoding at byte {}",
                e.utf8_error().valid_up_to()
            ),
        ),
    })
}

/// A script converted: the JSON, the module files (name, bytes) and how
/// many commands were left out.
pub struct Converted {
    /// The command file's contents.
    pub json: Value,
    /// The modules, by file name (beside the command file).
    pub files: Vec<(String, Vec<u8>)>,
    /// Thread, wait and unknown commands, which the JSON form lacks.
    pub left_out: usize,
}

/// Converts a script; module files are named `{stem}.{n}.wasm|wat`.
pub fn convert(
    text: &str,
    source: &str,
    stem: &str,
    features: Features,
) -> Result<Converted, weft_wat::Error> {
    let script = weft_wat::parse_script_with(text, features)?;
    let mut out = Converted {
        json: Value::Null,
        files: Vec::new(),
        left_out: 0,
    };
    let mut commands = Vec::new();
    // Each instance's module, to give a trapping action its result types
    // as wast2json does.
    let mut named: std::collections::HashMap<&str, Option<weft_ast::Module>> =
        std::collections::HashMap::new();
    let mut last: Option<weft_ast::Module> = None;
    let decode = |m: &ScriptModule| match &m.source {
        ModuleSource::Binary(b) => weft_parser::parse_with(b, features).ok(),
        _ => m.to_module(features).ok(),
    };
    for command in &script.commands {
        let line = command.line;
        let mut module_file = |m: &ScriptModule, malformed: bool| -> (String, &'static str) {
            let n = out.files.len();
            let as_text = |m: &ScriptModule| match &m.source {
                ModuleSource::Quote(bytes) => bytes.clone(),
                _ => text.as_bytes()[m.span.clone()].to_vec(),
            };
            let (bytes, kind) = match (&m.source, malformed) {
                (ModuleSource::Binary(b), _) => (b.clone(), "binary"),
                (_, true) => (as_text(m), "text"),
                // Without the name section weft's encoder adds for
                // `$id`s, as wast2json writes them.
                (_, false) => match m.to_binary(features) {
                    Ok(b) => (
                        super::strip::strip(&b, &|n| n == Some("name")).unwrap_or(b),
                        "binary",
                    ),
                    Err(_) => (as_text(m), "text"),
                },
            };
            let ext = if kind == "binary" { "wasm" } else { "wat" };
            let name = format!("{stem}.{n}.{ext}");
            out.files.push((name.clone(), bytes));
            (name, kind)
        };
        let mut c = Map::new();
        c.insert("type".into(), json!(""));
        c.insert("line".into(), json!(line));
        let kind = match &command.kind {
            CommandKind::Module(m) => {
                if let Some(id) = &m.id {
                    c.insert("name".into(), json!(dollar(id)));
                }
                let (file, _) = module_file(m, false);
                c.insert("filename".into(), json!(file));
                if !m.definition {
                    last = decode(m);
                    if let Some(id) = &m.id {
                        named.insert(id, last.clone());
                    }
                }
                if m.definition {
                    "module_definition"
                } else {
                    "module"
                }
            }
            CommandKind::Instance { instance, module } => {
                last = None;
                if let Some(i) = instance {
                    c.insert("instance".into(), json!(dollar(i)));
                }
                if let Some(m) = module {
                    c.insert("module".into(), json!(dollar(m)));
                }
                "module_instance"
            }
            CommandKind::Register { name, module } => {
                if let Some(m) = module {
                    c.insert("name".into(), json!(dollar(m)));
                }
                c.insert("as".into(), json!(name));
                "register"
            }
            CommandKind::Action(a) => {
                c.insert("action".into(), action(a));
                let types = result_types(a, &named, &last).unwrap_or_default();
                c.insert("expected".into(), json!(types));
                "action"
            }
            CommandKind::AssertReturn { action: a, results } => {
                c.insert("action".into(), action(a));
                let expected: Vec<Value> = results.iter().map(expected).collect();
                c.insert("expected".into(), Value::Array(expected));
                "assert_return"
            }
            CommandKind::AssertTrap { action: a, message } => {
                c.insert("action".into(), action(a));
                c.insert("text".into(), json!(message));
                if let Some(types) = result_types(a, &named, &last) {
                    c.insert("expected".into(), json!(types));
                }
                "assert_trap"
            }
            CommandKind::AssertExhaustion { action: a, message } => {
                c.insert("action".into(), action(a));
                c.insert("text".into(), json!(message));
                if let Some(types) = result_types(a, &named, &last) {
                    c.insert("expected".into(), json!(types));
                }
                "assert_exhaustion"
            }
            CommandKind::AssertException { action: a } => {
                c.insert("action".into(), action(a));
                "assert_exception"
            }
            CommandKind::AssertTrapModule { module, message }
            | CommandKind::AssertUninstantiable { module, message } => {
                module_assertion(&mut c, module_file(module, false), message);
                "assert_uninstantiable"
            }
            CommandKind::AssertUnlinkable { module, message } => {
                module_assertion(&mut c, module_file(module, false), message);
                "assert_unlinkable"
            }
            CommandKind::AssertInvalid { module, message } => {
                module_assertion(&mut c, module_file(module, false), message);
                "assert_invalid"
            }
            CommandKind::AssertInvalidCustom { module, message } => {
                module_assertion(&mut c, module_file(module, false), message);
                "assert_invalid_custom"
            }
            CommandKind::AssertMalformed { module, message } => {
                module_assertion(&mut c, module_file(module, true), message);
                "assert_malformed"
            }
            CommandKind::AssertMalformedCustom { module, message } => {
                module_assertion(&mut c, module_file(module, true), message);
                "assert_malformed_custom"
            }
            CommandKind::Thread { .. } | CommandKind::Wait { .. } | CommandKind::Unknown { .. } => {
                out.left_out += 1;
                continue;
            }
        };
        c.insert("type".into(), json!(kind));
        // wast2json gives a module assertion its module's line.
        if let Some(m) = assertion_module(&command.kind) {
            c.insert("line".into(), json!(m.line));
        }
        commands.push(Value::Object(c));
    }
    out.json = json!({"source_filename": source, "commands": commands});
    Ok(out)
}

/// The module of a module assertion.
fn assertion_module(kind: &CommandKind) -> Option<&ScriptModule> {
    match kind {
        CommandKind::AssertTrapModule { module, .. }
        | CommandKind::AssertUninstantiable { module, .. }
        | CommandKind::AssertUnlinkable { module, .. }
        | CommandKind::AssertInvalid { module, .. }
        | CommandKind::AssertInvalidCustom { module, .. }
        | CommandKind::AssertMalformed { module, .. }
        | CommandKind::AssertMalformedCustom { module, .. } => Some(module),
        _ => None,
    }
}

/// A module's name as wast2json writes it, with its `$`.
fn dollar(id: &str) -> String {
    format!("${id}")
}

/// The result types of an invoked export, `{"type": "i32"}` each, when
/// its module is known.
fn result_types(
    a: &Action,
    named: &std::collections::HashMap<&str, Option<weft_ast::Module>>,
    last: &Option<weft_ast::Module>,
) -> Option<Vec<Value>> {
    let Action::Invoke { module, name, .. } = a else {
        return None;
    };
    let m = match module {
        Some(id) => named.get(id.as_str())?.as_ref()?,
        None => last.as_ref()?,
    };
    let export = m
        .exports
        .iter()
        .find(|e| e.kind == weft_ast::ExternKind::Func && &e.name == name)?;
    let ty = m.func_type(m.func_type_idx(export.index)?)?;
    Some(
        ty.results
            .iter()
            .map(|t| json!({"type": t.to_string()}))
            .collect(),
    )
}

fn module_assertion(c: &mut Map<String, Value>, (file, kind): (String, &str), message: &str) {
    c.insert("filename".into(), json!(file));
    c.insert("text".into(), json!(message));
    c.insert("module_type".into(), json!(kind));
}

fn action(a: &Action) -> Value {
    match a {
        Action::Invoke { module, name, args } => {
            let mut o = json!({"type": "invoke", "field": name});
            if let Some(m) = module {
                o["module"] = json!(dollar(m));
            }
            o["args"] = Value::Array(args.iter().map(arg).collect());
            o
        }
        Action::Get { module, name } => {
            let mut o = json!({"type": "get", "field": name});
            if let Some(m) = module {
                o["module"] = json!(dollar(m));
            }
            o
        }
    }
}

/// `funcref`, `externref`, ...: a heap type's reference type name.
fn ref_name(h: AbsHeap) -> String {
    format!("{}ref", h.name())
}

fn arg(v: &Arg) -> Value {
    match v {
        Arg::I32(n) => json!({"type": "i32", "value": (*n as u32).to_string()}),
        Arg::I64(n) => json!({"type": "i64", "value": (*n as u64).to_string()}),
        Arg::F32(f) => json!({"type": "f32", "value": f.0.to_string()}),
        Arg::F64(f) => json!({"type": "f64", "value": f.0.to_string()}),
        Arg::V128(v) => {
            let lanes: Vec<String> =
                v.0.chunks_exact(4)
                    .map(|l| u32::from_le_bytes([l[0], l[1], l[2], l[3]]).to_string())
                    .collect();
            json!({"type": "v128", "lane_type": "i32", "value": lanes})
        }
        Arg::RefNull(Some(h)) => json!({"type": ref_name(*h), "value": "null"}),
        Arg::RefNull(None) => json!({"type": "ref", "value": "null"}),
        Arg::RefExtern(n) => json!({"type": "externref", "value": n.to_string()}),
        Arg::RefHost(n) => json!({"type": "hostref", "value": n.to_string()}),
    }
}

fn pattern(p: NumPattern) -> String {
    match p {
        NumPattern::Bits(b) => b.to_string(),
        NumPattern::CanonicalNan => "nan:canonical".into(),
        NumPattern::ArithmeticNan => "nan:arithmetic".into(),
    }
}

const SHAPES: [(Shape, &str, u32); 6] = [
    (Shape::I8x16, "i8", 16),
    (Shape::I16x8, "i16", 8),
    (Shape::I32x4, "i32", 4),
    (Shape::I64x2, "i64", 2),
    (Shape::F32x4, "f32", 4),
    (Shape::F64x2, "f64", 2),
];

fn expected(e: &Expected) -> Value {
    match e {
        Expected::I32(n) => json!({"type": "i32", "value": (*n as u32).to_string()}),
        Expected::I64(n) => json!({"type": "i64", "value": (*n as u64).to_string()}),
        Expected::F32(p) => json!({"type": "f32", "value": pattern(*p)}),
        Expected::F64(p) => json!({"type": "f64", "value": pattern(*p)}),
        Expected::V128 { shape, lanes } => {
            let lane = SHAPES.iter().find(|s| s.0 == *shape).map_or("i32", |s| s.1);
            let lanes: Vec<String> = lanes.iter().map(|p| pattern(*p)).collect();
            json!({"type": "v128", "lane_type": lane, "value": lanes})
        }
        Expected::RefNull(Some(h)) => json!({"type": ref_name(*h), "value": "null"}),
        Expected::RefNull(None) => json!({"type": "ref", "value": "null"}),
        Expected::RefExtern(Some(n)) => json!({"type": "externref", "value": n.to_string()}),
        Expected::RefExtern(None) => json!({"type": "externref"}),
        Expected::RefHost(n) => json!({"type": "hostref", "value": n.to_string()}),
        Expected::RefFunc => json!({"type": "funcref"}),
        Expected::RefStruct => json!({"type": "structref"}),
        Expected::RefArray => json!({"type": "arrayref"}),
        Expected::RefI31 => json!({"type": "i31ref"}),
        Expected::RefEq => json!({"type": "eqref"}),
        Expected::RefAny => json!({"type": "anyref"}),
        Expected::RefExn => json!({"type": "exnref"}),
        Expected::Either(options) => {
            json!({"type": "either", "values": options.iter().map(expected).collect::<Vec<_>>()})
        }
    }
}

/// Why a command file could not be read back.
fn bad(what: impl std::fmt::Display) -> String {
    format!("not a json-from-wast command file: {what}")
}

/// The last line a command is moved down to: a command file's line
/// numbers cost that many newlines, so they are believed up to here (16 Mi
/// lines, far beyond any script) and no further.
const MAX_PADDED_LINES: u64 = 1 << 24;

/// Reads a command file back into a script, the modules from `dir`
/// (binary ones as `(module binary ...)`, text ones as `(module quote
/// ...)`), one command per line at the line it had.
pub fn to_wast(json: &str, dir: &Path) -> Result<String, Error> {
    let usage = |why: String| Error::Usage(why);
    let v: Value = serde_json::from_str(json).map_err(|e| usage(bad(e)))?;
    let commands = v["commands"]
        .as_array()
        .ok_or_else(|| usage(bad("no `commands` list")))?;
    let mut out = String::new();
    let mut lines = 1u64;
    for c in commands {
        let kind = c["type"].as_str().unwrap_or_default();
        // Each command on the line it had, so that failures name it.
        if let Some(line) = c["line"].as_u64() {
            while lines < line && lines < MAX_PADDED_LINES {
                out.push('\n');
                lines += 1;
            }
        }
        let text = |key: &str| string(&c[key]);
        let command = match kind {
            "module" | "module_definition" => {
                let def = if kind == "module_definition" {
                    " definition"
                } else {
                    ""
                };
                let name = c["name"]
                    .as_str()
                    .map_or(String::new(), |n| format!(" {n}"));
                format!("(module{def}{name}{})", module_body(c, dir)?)
            }
            "module_instance" => format!(
                "(module instance{}{})",
                c["instance"]
                    .as_str()
                    .map_or(String::new(), |n| format!(" {n}")),
                c["module"]
                    .as_str()
                    .map_or(String::new(), |n| format!(" {n}"))
            ),
            "register" => format!(
                "(register {}{})",
                text("as"),
                c["name"]
                    .as_str()
                    .map_or(String::new(), |n| format!(" {n}"))
            ),
            "action" => action_text(&c["action"])?,
            "assert_return" => {
                let mut s = format!("(assert_return {}", action_text(&c["action"])?);
                for e in c["expected"].as_array().into_iter().flatten() {
                    s.push(' ');
                    s.push_str(&expected_text(e)?);
                }
                s + ")"
            }
            "assert_trap" | "assert_exhaustion" if c.get("action").is_some() => {
                format!("({kind} {} {})", action_text(&c["action"])?, text("text"))
            }
            "assert_exception" => format!("(assert_exception {})", action_text(&c["action"])?),
            "assert_uninstantiable"
            | "assert_unlinkable"
            | "assert_invalid"
            | "assert_invalid_custom"
            | "assert_malformed"
            | "assert_malformed_custom"
            | "assert_trap" => {
                format!("({kind} (module{}) {})", module_body(c, dir)?, text("text"))
            }
            other => return Err(usage(bad(format!("unknown command type `{other}`")))),
        };
        out.push_str(&command);
        out.push('\n');
        lines += 1;
    }
    Ok(out)
}

/// A JSON string as a script string literal.
fn string(v: &Value) -> String {
    quoted(v.as_str().unwrap_or_default().as_bytes())
}

/// Bytes as a script string literal (every byte not plainly printable
/// escaped).
fn quoted(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() + 2);
    s.push('"');
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' {
            s.push(b as char);
        } else {
            let _ = write!(s, "\\{b:02x}");
        }
    }
    s.push('"');
    s
}

/// ` binary "..."` or ` quote "..."` from a command's module file.
fn module_body(c: &Value, dir: &Path) -> Result<String, Error> {
    let file = c["filename"]
        .as_str()
        .ok_or_else(|| Error::Usage(bad("a module command without `filename`")))?;
    // Only a file beside the command file: no path may lead elsewhere.
    if file.contains(['/', '\\']) || file == ".." {
        return Err(Error::Usage(bad(format!(
            "module file `{file}` is not a plain name"
        ))));
    }
    let bytes = super::read(&dir.join(file))?;
    let binary = c["module_type"].as_str() != Some("text") && !file.ends_with(".wat");
    Ok(if binary {
        format!(" binary {}", quoted(&bytes))
    } else {
        format!(" quote {}", quoted(&bytes))
    })
}

fn action_text(a: &Value) -> Result<String, Error> {
    let module = a["module"]
        .as_str()
        .map_or(String::new(), |m| format!(" {m}"));
    let field = string(&a["field"]);
    match a["type"].as_str() {
        Some("invoke") => {
            let mut s = format!("(invoke{module} {field}");
            for v in a["args"].as_array().into_iter().flatten() {
                s.push(' ');
                s.push_str(&expected_text(v)?);
            }
            Ok(s + ")")
        }
        Some("get") => Ok(format!("(get{module} {field})")),
        _ => Err(Error::Usage(bad("an action neither `invoke` nor `get`"))),
    }
}

/// A value or an expected result as script text.
fn expected_text(v: &Value) -> Result<String, Error> {
    let ty = v["type"].as_str().unwrap_or_default();
    let value = v["value"].as_str();
    let num = |s: &str, width: u32| -> Result<String, Error> {
        if s.starts_with("nan:") {
            return Ok(s.to_string());
        }
        let bits: u64 = s
            .parse()
            .map_err(|_| Error::Usage(bad(format!("`{s}` is not a number"))))?;
        Ok(match width {
            32 => weft_ast::Ieee32(bits as u32).to_string(),
            _ => weft_ast::Ieee64(bits).to_string(),
        })
    };
    let missing = || Error::Usage(bad(format!("a `{ty}` without a value")));
    Ok(match ty {
        "i32" | "i64" => format!("({ty}.const {})", value.ok_or_else(missing)?),
        "f32" => format!("(f32.const {})", num(value.ok_or_else(missing)?, 32)?),
        "f64" => format!("(f64.const {})", num(value.ok_or_else(missing)?, 64)?),
        "v128" => {
            let lane = v["lane_type"].as_str().unwrap_or("i32");
            let shape = SHAPES
                .iter()
                .find(|s| s.1 == lane)
                .ok_or_else(|| Error::Usage(bad(format!("lane type `{lane}`"))))?;
            let mut s = format!("(v128.const {lane}x{}", shape.2);
            for l in v["value"].as_array().into_iter().flatten() {
                let l = l.as_str().unwrap_or_default();
                s.push(' ');
                s.push_str(&match lane {
                    "f32" => num(l, 32)?,
                    "f64" => num(l, 64)?,
                    _ => l.to_string(),
                });
            }
            s + ")"
        }
        "either" => {
            let mut s = "(either".to_string();
            for o in v["values"].as_array().into_iter().flatten() {
                s.push(' ');
                s.push_str(&expected_text(o)?);
            }
            s + ")"
        }
        "ref" if value == Some("null") => "(ref.null)".into(),
        "externref" => match value {
            Some("null") => "(ref.null extern)".into(),
            Some(n) => format!("(ref.extern {n})"),
            None => "(ref.extern)".into(),
        },
        "hostref" => format!("(ref.host {})", value.ok_or_else(missing)?),
        _ if ty.ends_with("ref") => {
            let heap = &ty[..ty.len() - 3];
            match value {
                Some("null") => format!("(ref.null {heap})"),
                _ => format!("(ref.{heap})"),
            }
        }
        _ => return Err(Error::Usage(bad(format!("value type `{ty}`")))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = r#"(module $m
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "f") (param f32) (result f32) local.get 0)
  (global (export "g") i32 (i32.const 7)))
(register "m" $m)
(assert_return (invoke "add" (i32.const -1) (i32.const 2)) (i32.const 1))
(assert_return (invoke $m "f" (f32.const nan:0x200000)) (f32.const nan:arithmetic))
(assert_return (get "g") (i32.const 7))
(assert_trap (invoke "add" (i32.const 1)) "type mismatch")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func") "unexpected end")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
"#;

    #[test]
    fn converts_the_way_wast2json_does() {
        let c = convert(SCRIPT, "s.wast", "s", Features::ALL).unwrap();
        let commands = c.json["commands"].as_array().unwrap();
        assert_eq!(c.json["source_filename"], "s.wast");
        assert_eq!(
            commands[0],
            json!({"type": "module", "line": 1, "name": "$m", "filename": "s.0.wasm"})
        );
        assert_eq!(
            commands[1],
            json!({"type": "register", "line": 5, "name": "$m", "as": "m"})
        );
        assert_eq!(
            commands[2]["action"]["args"][0],
            json!({"type": "i32", "value": "4294967295"})
        );
        assert_eq!(
            commands[3]["action"]["args"][0],
            json!({"type": "f32", "value": "2141192192"})
        );
        assert_eq!(
            commands[3]["expected"][0],
            json!({"type": "f32", "value": "nan:arithmetic"})
        );
        assert_eq!(commands[4]["action"], json!({"type": "get", "field": "g"}));
        assert_eq!(commands[6]["module_type"], "binary");
        assert_eq!(commands[7]["module_type"], "text");
        assert_eq!(commands[7]["filename"], "s.2.wat");
        assert_eq!(c.files[2].1, b"(func");
        assert_eq!(commands[8]["module_type"], "binary");
        assert_eq!(c.files[3].1, b"\0asm\x02\0\0\0");
        // The module written is the text's binary.
        assert!(weft_parser::parse(&c.files[0].1).is_ok());
    }

    #[test]
    fn reads_back_to_the_same_results() {
        let dir = std::env::temp_dir().join(format!("weft-jfw-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let c = convert(SCRIPT, "s.wast", "s", Features::ALL).unwrap();
        for (name, bytes) in &c.files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        let back = to_wast(&c.json.to_string(), &dir).unwrap();
        let features = Features::default();
        let before = weft_spec::runner::run_script(SCRIPT, features);
        let after = weft_spec::runner::run_script(&back, features);
        assert_eq!(before.passed + before.failed(), 9, "{:?}", before.failures);
        assert!(before.passed >= 8, "{:?}", before.failures);
        assert_eq!(
            (after.passed, after.failed()),
            (before.passed, before.failed()),
            "{back}\n{:?}",
            after.failures
        );
        // A failure keeps its line.
        assert!(
            back.lines().nth(8).unwrap().starts_with("(assert_trap"),
            "{back}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_command_files_are_refused() {
        let dir = std::env::temp_dir();
        assert!(to_wast("{", &dir).is_err());
        assert!(to_wast("{\"commands\": [{\"type\": \"nope\"}]}", &dir).is_err());
        let escape = r#"{"commands": [{"type": "module", "filename": "../x.wasm"}]}"#;
        assert!(
            to_wast(escape, &dir)
                .unwrap_err()
                .to_string()
                .contains("not a plain name")
        );
        // A line number far away costs a bounded number of newlines.
        let far = r#"{"commands": [{"type": "register", "line": 99999999999, "as": "x"}]}"#;
        let text = to_wast(far, &dir).unwrap();
        assert!(
            text.len() <= (MAX_PADDED_LINES as usize) + 32,
            "{}",
            text.len()
        );
        assert!(text.ends_with("(register \"x\")\n"));
    }

    /// The whole bundled testsuite: each file converted and read back
    /// runs with exactly the passes and failures of the original.
    #[cfg(feature = "testsuite")]
    #[test]
    fn testsuite_round_trips_with_the_same_counts() {
        let dir = std::env::temp_dir().join(format!("weft-jfw-suite-{}", std::process::id()));
        let (mut files, mut passed, mut failed) = (0, 0, 0);
        for file in weft_spec::suite::all_files() {
            let semantics = file.semantics();
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let c = convert(file.text, &file.name, "t", file.features)
                .unwrap_or_else(|e| panic!("{}: {e}", file.key()));
            for (name, bytes) in &c.files {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
            let back = to_wast(&c.json.to_string(), &dir).unwrap();
            let before = weft_spec::runner::run_script_with(file.text, semantics);
            let after = weft_spec::runner::run_script_with(&back, semantics);
            assert_eq!(
                (after.passed, after.failed()),
                (before.passed, before.failed()),
                "{}: {:?}",
                file.key(),
                after.failures
            );
            files += 1;
            passed += before.passed;
            failed += before.failed();
        }
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("{files} files: {passed} passed, {failed} failed, before and after");
        assert!(files > 100 && passed > 10_000);
    }
}
