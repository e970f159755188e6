//! `weft run IN --invoke NAME [ARGS...]`: instantiate a module (binary or
//! text; the `spectest` module is there for its imports) and call one of its
//! exported functions with arguments read by the function's parameter
//! types. Prints the results, one per line; a trap is reported on standard
//! error with a non-zero exit status.

use std::fmt;
use std::path::PathBuf;

use weft_ast::ValType;
use weft_interp::{Linker, Store, Value};

use super::{Error, FeatureArgs};

/// Arguments of `weft run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The module to run: binary or text.
    input: PathBuf,
    /// The exported function to call.
    #[arg(long)]
    invoke: String,
    /// Its arguments: integers (decimal or 0x hex), floats (`1.5`, `inf`,
    /// `nan`), `v128` as 0x and 32 hex digits, `null` for references.
    #[arg(allow_hyphen_values = true)]
    args: Vec<String>,
    /// Stop after this much fuel (roughly one unit per instruction).
    #[arg(long)]
    fuel: Option<u64>,
    #[command(flatten)]
    features: FeatureArgs,
}

/// Why a run failed after the module was read.
#[derive(Debug)]
pub enum RunError {
    /// The module could not be loaded or instantiated, or the call trapped.
    Engine(weft_interp::Error),
    /// No exported function has that name.
    NoSuchExport(String),
    /// An argument does not fit its parameter type, or the count is wrong.
    BadArgument(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Engine(e) => e.fmt(f),
            RunError::NoSuchExport(name) => write!(f, "no exported function named `{name}`"),
            RunError::BadArgument(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `weft run`.
pub fn run(args: Args) -> Result<(), Error> {
    let features = args.features.features()?;
    let ast = super::load_module(&args.input, features)?;
    let results = call(ast, features, &args).map_err(Error::Run)?;
    for value in results {
        super::emit(format_args!("{}\n", show(&value)));
    }
    Ok(())
}

fn call(
    ast: weft_ast::Module,
    features: weft_ast::Features,
    args: &Args,
) -> Result<Vec<Value>, RunError> {
    let module = weft_interp::Module::with_features(ast, features).map_err(RunError::Engine)?;
    let mut store = Store::new();
    store.set_fuel(args.fuel);
    let mut linker = Linker::new();
    weft_interp::spectest::define(&mut linker, &mut store).map_err(RunError::Engine)?;
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(RunError::Engine)?;
    let func = store
        .export_func(instance, &args.invoke)
        .ok_or_else(|| RunError::NoSuchExport(args.invoke.clone()))?;
    let params = store
        .func_type(func)
        .map_err(RunError::Engine)?
        .params
        .clone();
    if params.len() != args.args.len() {
        return Err(RunError::BadArgument(format!(
            "`{}` takes {} arguments, {} given",
            args.invoke,
            params.len(),
            args.args.len()
        )));
    }
    let values = params
        .iter()
        .zip(&args.args)
        .map(|(ty, text)| argument(*ty, text))
        .collect::<Result<Vec<_>, _>>()?;
    store.call(func, &values).map_err(RunError::Engine)
}

/// Reads one argument as a value of type `ty`.
fn argument(ty: ValType, text: &str) -> Result<Value, RunError> {
    let bad = || RunError::BadArgument(format!("`{text}` is not a valid {ty:?} argument"));
    let t = text.replace('_', "");
    Ok(match ty {
        ValType::I32 => {
            let v = integer(&t).ok_or_else(bad)?;
            if !(i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(&v) {
                return Err(bad());
            }
            Value::I32(v as i32)
        }
        ValType::I64 => Value::I64(integer(&t).ok_or_else(bad)?),
        ValType::F32 => Value::F32(weft_ast::Ieee32(
            t.parse::<f32>().map_err(|_| bad())?.to_bits(),
        )),
        ValType::F64 => Value::F64(weft_ast::Ieee64(
            t.parse::<f64>().map_err(|_| bad())?.to_bits(),
        )),
        ValType::V128 => {
            let hex = t.strip_prefix("0x").ok_or_else(bad)?;
            Value::V128(u128::from_str_radix(hex, 16).map_err(|_| bad())?)
        }
        ValType::Ref(_) if t == "null" => Value::default_for(ty),
        ValType::Ref(_) => return Err(bad()),
    })
}

/// A decimal or `0x` hex integer, signed, or unsigned up to 64 bits.
fn integer(t: &str) -> Option<i64> {
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let magnitude = match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<u64>().ok()?,
    };
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        Some(magnitude as i64)
    }
}

/// A result as text: integers in decimal, floats as Rust prints them (NaN
/// with its bits), vectors in hex, references by kind.
fn show(value: &Value) -> String {
    match value {
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::F32(v) if v.value().is_nan() => format!("nan:0x{:08x}", v.0),
        Value::F64(v) if v.value().is_nan() => format!("nan:0x{:016x}", v.0),
        Value::F32(v) => v.value().to_string(),
        Value::F64(v) => v.value().to_string(),
        Value::V128(v) => format!("0x{v:032x}"),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arguments_by_type() {
        assert_eq!(argument(ValType::I32, "-1").unwrap(), Value::I32(-1));
        assert_eq!(
            argument(ValType::I32, "0xffffffff").unwrap(),
            Value::I32(-1)
        );
        assert!(argument(ValType::I32, "0x1_0000_0000").is_err());
        assert_eq!(
            argument(ValType::I64, "0xffffffffffffffff").unwrap(),
            Value::I64(-1)
        );
        assert_eq!(
            argument(ValType::I64, "-9223372036854775808").unwrap(),
            Value::I64(i64::MIN)
        );
        assert_eq!(
            argument(ValType::F64, "1.5").unwrap(),
            Value::F64(weft_ast::Ieee64(1.5f64.to_bits()))
        );
        assert!(argument(ValType::F32, "x").is_err());
        assert_eq!(show(&Value::I32(-7)), "-7");
    }
}
