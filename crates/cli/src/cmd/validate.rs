//! `weft validate IN... [--features ...] [--parallel]`: read modules (binary
//! or text) and check each against the validation rules of the chosen
//! proposals. Exit status 0 when all are valid; otherwise, for each one that
//! is not, the rule broken and where, on standard error.
//!
//! A binary goes the one-pass way (`weft_validator::check_bytes`): each
//! instruction is checked as it is decoded, and not kept; a body's error
//! names the function, the instruction and its byte offset. Text is parsed
//! first, keeping where each instruction came from
//! ([`weft_wat::SourceMap`]): an error is shown like a parse error, at the
//! line and column of the offending instruction (or, outside a body, of
//! the field of the type, import, global, export, segment... it is about)
//! with the source line and a caret, and names the function (or entity) by
//! its `$name` when it has one.

use std::path::{Path, PathBuf};

use weft_validator::BinaryError;

use super::{Error, FeatureArgs};

/// Arguments of `weft validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example: weft validate module.wasm --features +legacy-exceptions")]
pub struct ValidateArgs {
    /// The modules to check: binary or text, `-` for standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Check function bodies in parallel (same verdict, same first error).
    #[arg(long)]
    parallel: bool,
    /// Report every invalid function, not only the first error: one error
    /// per invalid function body (its first), each checked as if the
    /// others were valid, then a data segment's; an error outside the
    /// bodies (types, imports, globals, exports, elements) stops the check
    /// alone, since the bodies depend on those.
    #[arg(long)]
    all_errors: bool,
    /// One JSON object per module on standard output: `file`, `valid`,
    /// and for an invalid one `error` (the first), `offset` (a binary's
    /// byte offset, when known) or `line`/`column` (a text's), and
    /// `errors` (every one reported). The exit status is as without it.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Runs `weft validate`: every input is checked and every failure reported
/// on standard error, in input order (the last as the command's error).
pub fn run(args: ValidateArgs) -> Result<(), Error> {
    let features = args.features.features()?;
    let mode = Mode {
        features,
        parallel: args.parallel,
        all_errors: args.all_errors,
    };
    if args.json {
        return run_json(&args.inputs, mode);
    }
    // The latest error waits: the last one is the command's.
    let mut last: Option<Error> = None;
    for input in &args.inputs {
        check(input, mode, &mut |found| {
            if let Some(before) = last.take() {
                eprintln!("error: {before}");
            }
            match found {
                Found::Error(e) => last = Some(e),
                Found::Shown(text) => eprintln!("error: {text}"),
            }
        });
    }
    last.map_or(Ok(()), Err)
}

/// `--json`: each module's verdict as one JSON object a line.
fn run_json(inputs: &[PathBuf], mode: Mode) -> Result<(), Error> {
    use serde_json::{Value, json};
    let mut invalid = 0;
    for input in inputs {
        let mut errors: Vec<Value> = Vec::new();
        check(input, mode, &mut |found| {
            errors.push(match found {
                Found::Error(e) => super::error_json(&e),
                Found::Shown(text) => json!({"message": text}),
            })
        });
        let mut o = json!({"file": input.display().to_string(), "valid": errors.is_empty()});
        if let Some(first) = errors.first() {
            invalid += 1;
            o["error"] = first["message"].clone();
            for key in ["offset", "line", "column"] {
                if let Some(v) = first.get(key) {
                    o[key] = v.clone();
                }
            }
            o["errors"] = Value::Array(errors);
        }
        super::emit(format_args!("{o}\n"))?;
    }
    if invalid > 0 {
        return Err(Error::Usage(format!(
            "{invalid} of {} modules are not valid",
            inputs.len()
        )));
    }
    Ok(())
}

/// An error found, before the last.
enum Found {
    /// To report as is.
    Error(Error),
    /// Rendered already (a text error: rendering it at once spares each
    /// error a copy of the text).
    Shown(String),
}

/// How to check.
#[derive(Clone, Copy)]
struct Mode {
    features: weft_ast::Features,
    parallel: bool,
    all_errors: bool,
}

/// Checks one module, giving each error found to `report` in order.
fn check(input: &Path, mode: Mode, report: &mut dyn FnMut(Found)) {
    if let Err(e) = check_module(input, mode, report) {
        report(Found::Error(e));
    }
}

/// Checks one module: the last error it finds is returned, those before it
/// (with `all_errors`) go to `report`.
fn check_module(input: &Path, mode: Mode, report: &mut dyn FnMut(Found)) -> Result<(), Error> {
    let Mode {
        features,
        parallel,
        all_errors,
    } = mode;
    let path = input.to_path_buf();
    let invalid = |source| Error::Invalid {
        path: path.clone(),
        source,
    };
    let bytes = super::read(input)?;
    if super::is_binary(input, &bytes) && bytes.starts_with(b"\0asm") {
        let checked = if parallel {
            weft_validator::check_bytes_parallel(&bytes, features)
        } else {
            weft_validator::check_bytes(&bytes, features)
        };
        let first = match checked {
            Ok(_) => return Ok(()),
            Err(BinaryError::Malformed(source)) => return Err(Error::Binary { path, source }),
            Err(BinaryError::Invalid(source)) => source,
        };
        if !all_errors {
            return Err(invalid(first));
        }
        // The one-pass check stops at the first error; the others come
        // from the decoded module (which has no byte offsets, so they name
        // the function and the instruction's index).
        let module = weft_parser::parse_with(&bytes, features).map_err(|source| Error::Binary {
            path: path.clone(),
            source,
        })?;
        let mut last = invalid(first);
        for e in validate_all(&module, features, parallel)
            .into_iter()
            .skip(1)
        {
            report(Found::Error(std::mem::replace(&mut last, invalid(e))));
        }
        return Err(last);
    }
    if super::is_binary(input, &bytes) {
        // Named as binary but without the magic number: decoding says so.
        return super::decode(input, &bytes, features).map(|_| ());
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        // Not text either: the text parser says where the bad byte is.
        return super::load_module(input, features).map(|_| ());
    };
    let as_text = |source| Error::Text {
        path: path.clone(),
        text: text.to_string(),
        source,
    };
    let (module, map) = weft_wat::parse_module_with_source_map(text, features).map_err(as_text)?;
    let errors = if all_errors {
        validate_all(&module, features, parallel)
    } else if parallel {
        weft_validator::validate_parallel(&module, features)
            .err()
            .into_iter()
            .collect()
    } else {
        weft_validator::validate(&module, features)
            .err()
            .into_iter()
            .collect()
    };
    let Some(last) = errors.len().checked_sub(1) else {
        return Ok(());
    };
    for (i, e) in errors.into_iter().enumerate() {
        let e = match in_text(&e, text, &module, &map) {
            Some(source) if i < last => {
                // Rendered now rather than each keeping a copy of the text.
                report(Found::Shown(
                    source.render(&path.display().to_string(), text),
                ));
                continue;
            }
            Some(source) => as_text(source),
            None => invalid(e),
        };
        if i < last {
            report(Found::Error(e));
        } else {
            return Err(e);
        }
    }
    Ok(())
}

/// Every error of a module that does not follow from another (see
/// [`weft_validator::validate_all_errors`]); empty when it is valid.
fn validate_all(
    module: &weft_ast::Module,
    features: weft_ast::Features,
    parallel: bool,
) -> Vec<weft_validator::Error> {
    let checked = if parallel {
        weft_validator::validate_all_errors_parallel(module, features)
    } else {
        weft_validator::validate_all_errors(module, features)
    };
    checked.err().unwrap_or_default()
}

/// A validation error of a module parsed from `text`, positioned at its
/// instruction or at the field of the entity it is about; `None` for
/// errors about the module as a whole (they keep the validator's own
/// wording).
pub fn in_text(
    e: &weft_validator::Error,
    text: &str,
    module: &weft_ast::Module,
    map: &weft_wat::SourceMap,
) -> Option<weft_wat::Error> {
    use weft_validator::Location as L;
    use weft_wat::Item;
    let (item, instr) = match e.location() {
        L::Module => return None,
        L::Type(i) => (Item::Type(i), None),
        L::Import(i) => (Item::Import(i), None),
        L::Func { func, instr } => (Item::Func(func), instr),
        L::Table(i) => (Item::Table(i), None),
        L::Memory(i) => (Item::Memory(i), None),
        L::Tag(i) => (Item::Tag(i), None),
        L::Global(i) => (Item::Global(i), None),
        L::Export(i) => (Item::Export(i), None),
        L::Start => (Item::Start, None),
        L::Elem(i) => (Item::Elem(i), None),
        L::Data(i) => (Item::Data(i), None),
    };
    let message = format!("{}{}", e.message(), super::feature_hint(e.message()));
    map.error(text, module, item, instr, &message)
}
