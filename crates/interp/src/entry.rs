//! Calls from the host into WebAssembly: the one place that knows which
//! engine runs a function's code: compiled code if its instance's module
//! was compiled and the function with it (compiled code meters fuel as
//! the interpreter does), else the interpreter. The store itself runs nothing (it is
//! data below every engine); this `impl` sits above them.

use crate::runtime::store::{Func, Store};
use crate::trap::Error;
use crate::value::Value;

impl Store {
    /// Calls a function with arguments of its parameter types and returns
    /// its results.
    pub fn call(&mut self, f: Func, args: &[Value]) -> Result<Vec<Value>, Error> {
        #[cfg(weft_jit)]
        if let Some(r) = crate::jit::entry::invoke(self, f, args) {
            return r;
        }
        crate::interpreter::exec::invoke(self, f, args)
    }
}
