//! Where an instruction lies in a binary module: its byte offset, found by
//! decoding the module again with a sink that counts the instructions of
//! one body. Only errors need it, so nothing is kept while running.

use weft_ast::{Features, ImportDesc, Instr, Locals, Module};
use weft_parser::{Bodies, CodeHook, InstrSink};

/// The byte offset of instruction `instr` (its index in the body) of
/// function `func` (its index in the module's function space, imports
/// first), if the bytes decode and hold it.
pub fn instr_offset(bytes: &[u8], features: Features, func: u32, instr: u32) -> Option<usize> {
    let mut hook = Find {
        func,
        instr,
        found: None,
    };
    weft_parser::parse_with_hook(bytes, features, &mut hook).ok()?;
    hook.found
}

struct Find {
    func: u32,
    instr: u32,
    found: Option<usize>,
}

impl CodeHook for Find {
    fn code(
        &mut self,
        module: &Module,
        bodies: &mut Bodies<'_, '_>,
    ) -> Result<(), weft_parser::Error> {
        let imported = module
            .imports
            .iter()
            .filter(|i| matches!(i.desc, ImportDesc::Func(_) | ImportDesc::FuncExact(_)))
            .count() as u32;
        let Some(body) = self.func.checked_sub(imported) else {
            return Ok(());
        };
        let mut sink = Count {
            body,
            instr: self.instr,
            current: u32::MAX,
            seen: 0,
            found: None,
        };
        while sink.found.is_none() && bodies.next(&mut sink)? {}
        self.found = sink.found;
        Ok(())
    }
}

/// Counts the instructions of body `body`, noting the offset of the
/// `instr`-th.
struct Count {
    body: u32,
    instr: u32,
    current: u32,
    seen: u32,
    found: Option<usize>,
}

impl InstrSink for Count {
    fn body(&mut self, index: u32, _: &[Locals], _: usize) {
        self.current = index;
        self.seen = 0;
    }

    fn instr(&mut self, _: &Instr, offset: usize) {
        if self.current == self.body {
            if self.seen == self.instr {
                self.found = Some(offset);
            }
            self.seen += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_an_instruction_by_function_and_index() {
        let bytes = weft_wat::wat2wasm(
            r#"(module (import "m" "f" (func))
                 (func (result i32) i32.const 1 i32.const 2 i32.add)
                 (func nop unreachable))"#,
        )
        .unwrap();
        // The second body's `unreachable` is the byte before its `end`,
        // the module's last byte.
        let last = bytes.len() - 1;
        assert_eq!(instr_offset(&bytes, Features::ALL, 2, 1), Some(last - 1));
        assert_eq!(instr_offset(&bytes, Features::ALL, 2, 0), Some(last - 2));
        let add = instr_offset(&bytes, Features::ALL, 1, 2).unwrap();
        assert_eq!(bytes[add], 0x6a);
        assert_eq!(instr_offset(&bytes, Features::ALL, 0, 0), None);
        assert_eq!(instr_offset(&bytes, Features::ALL, 2, 9), None);
    }
}
