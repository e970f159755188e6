//! Values in the text format's syntax, for embedders that show them (`weft
//! run`'s results, the script runner's failures). It needs the store to
//! tell structs from arrays, so it lives above it.

use crate::runtime::store::Store;
use crate::value::Value;

/// A value in the text format's syntax, as `.wast` scripts write results:
/// numbers as literals (`-7`, `1.5`, `-nan:0x1`, `i32x4 0x00000001 ...`),
/// references as `ref.null extern`, `(ref.i31 5)`, `(ref.struct)`,
/// `(ref.array)`, `(ref.func)`, `(ref.extern 3)`, `(ref.host 3)` (an
/// internalized host reference), `(ref.exn)`. Made by [`Value::text`].
pub struct ValueText<'a> {
    value: Value,
    store: &'a Store,
}

impl Value {
    /// This value in the text format's syntax; the store tells structs
    /// from arrays.
    pub fn text(self, store: &Store) -> ValueText<'_> {
        ValueText { value: self, store }
    }
}

impl std::fmt::Display for ValueText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.value {
            Value::I32(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::F32(v) => write!(f, "{v}"),
            Value::F64(v) => write!(f, "{v}"),
            Value::V128(v) => {
                f.write_str("i32x4")?;
                for lane in 0..4 {
                    write!(f, " 0x{:08x}", (v >> (32 * lane)) as u32)?;
                }
                Ok(())
            }
            Value::FuncRef(None) => f.write_str("ref.null func"),
            Value::FuncRef(Some(_)) => f.write_str("(ref.func)"),
            Value::ExternRef(None) => f.write_str("ref.null extern"),
            Value::ExternRef(Some(n)) => write!(f, "(ref.extern {n})"),
            Value::ExnRef(None) => f.write_str("ref.null exn"),
            Value::ExnRef(Some(_)) => f.write_str("(ref.exn)"),
            Value::AnyRef(None) => f.write_str("ref.null any"),
            Value::AnyRef(Some(r)) => {
                if let Some(v) = r.as_i31() {
                    write!(f, "(ref.i31 {v})")
                } else if let Some(n) = r.as_host() {
                    write!(f, "(ref.host {n})")
                } else if self.store.is_struct(r) {
                    f.write_str("(ref.struct)")
                } else if self.store.is_array(r) {
                    f.write_str("(ref.array)")
                } else {
                    f.write_str("(ref.any)")
                }
            }
        }
    }
}
