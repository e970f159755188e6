//! Hand-encoded x86-64 for the moves the value stack asks for most.
//!
//! Most of the machine code a function compiles to is moves between
//! registers, frame slots and locals (`Emitter::mov` in `compile.rs`):
//! loads, stores, register copies and small constants, and after them
//! arithmetic with a small immediate. The assembler macro, given a
//! register or displacement at run time, cannot pick the shortest form
//! (an empty REX prefix before each such register, a SIB byte and a
//! four-byte displacement for a base register given at run time) and
//! takes many small steps per instruction; here each is appended in a
//! few fixed-size pieces as the Intel manual lays it out, in the
//! shortest form: no displacement
//! for `[base + 0]` (a base other than rbp/r13), one byte for
//! -128..=127, else four; no REX prefix unless a bit of it is set. The
//! unit tests below decode what is written and compare it with the
//! assembler's encoding of the same instruction.

use dynasmrt::VecAssembler;
use dynasmrt::x64::X64Relocation;

use super::stack::Reg;

/// Appends `op` (REX prefix and opcode) and the ModRM byte (with SIB and
/// displacement) of `reg` and the memory operand `[base + disp]`: each
/// part a fixed-size append (one capacity check, no call to copy).
#[inline(always)]
fn op_mem(a: &mut VecAssembler<X64Relocation>, op: [u8; 2], reg: Reg, base: Reg, disp: i32) {
    let rm = base & 7;
    let r = (reg & 7) << 3;
    // rbp and r13 have no displacement-free form (mod 00 with rm 101 is
    // rip-relative); rsp and r12 need a SIB byte (no index, that base).
    let md = if disp == 0 && rm != 5 {
        0x00
    } else if i8::try_from(disp).is_ok() {
        0x40
    } else {
        0x80
    };
    let modrm = md | r | rm;
    if rm == 4 {
        a.extend(&[op[0], op[1], modrm, 0x24]);
    } else {
        a.extend(&[op[0], op[1], modrm]);
    }
    match md {
        0x00 => {}
        0x40 => a.extend(&[disp as u8]),
        _ => a.extend(&disp.to_le_bytes()),
    }
}

/// The REX prefix with W (64-bit operand) set or not, R from `reg` and B
/// from `rm`.
fn rex(w: bool, reg: Reg, rm: Reg) -> u8 {
    0x40 | u8::from(w) << 3 | (reg >> 3) << 2 | rm >> 3
}

/// `mov r64, [base + disp]`.
pub(crate) fn load64(a: &mut VecAssembler<X64Relocation>, d: Reg, base: Reg, disp: i32) {
    op_mem(a, [rex(true, d, base), 0x8b], d, base, disp);
}

/// `mov [base + disp], r64`.
pub(crate) fn store64(a: &mut VecAssembler<X64Relocation>, base: Reg, disp: i32, s: Reg) {
    op_mem(a, [rex(true, s, base), 0x89], s, base, disp);
}

/// `mov QWORD [base + disp], imm32` (sign-extended).
pub(crate) fn store64_imm(a: &mut VecAssembler<X64Relocation>, base: Reg, disp: i32, c: i32) {
    op_mem(a, [rex(true, 0, base), 0xc7], 0, base, disp);
    a.extend(&c.to_le_bytes());
}

/// `mov r64, r64`.
pub(crate) fn mov64(a: &mut VecAssembler<X64Relocation>, d: Reg, s: Reg) {
    a.extend(&[rex(true, s, d), 0x89, 0xc0 | (s & 7) << 3 | (d & 7)]);
}

/// `mov r32, imm32` (zero-extended to 64 bits).
pub(crate) fn mov32_imm(a: &mut VecAssembler<X64Relocation>, d: Reg, c: u32) {
    let c = c.to_le_bytes();
    if d >= 8 {
        a.extend(&[0x41, 0xb8 | (d & 7), c[0], c[1], c[2], c[3]]);
    } else {
        a.extend(&[0xb8 | d, c[0], c[1], c[2], c[3]]);
    }
}

/// The group-1 operations of [`alu_imm`], by their ModRM `reg` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op1 {
    Add = 0,
    Or = 1,
    And = 4,
    Sub = 5,
    Xor = 6,
    Cmp = 7,
}

/// `op r32, imm` (or `op r64, imm` sign-extended if `w`): the one-byte
/// immediate form when `c` fits in -128..=127 (three bytes shorter).
pub(crate) fn alu_imm(a: &mut VecAssembler<X64Relocation>, op: Op1, w: bool, r: Reg, c: i32) {
    let modrm = 0xc0 | (op as u8) << 3 | (r & 7);
    let rex = (w || r >= 8).then(|| rex(w, 0, r));
    match (i8::try_from(c), rex) {
        (Ok(c8), Some(p)) => a.extend(&[p, 0x83, modrm, c8 as u8]),
        (Ok(c8), None) => a.extend(&[0x83, modrm, c8 as u8]),
        (Err(_), Some(p)) => {
            a.extend(&[p, 0x81, modrm]);
            a.extend(&c.to_le_bytes());
        }
        (Err(_), None) => {
            a.extend(&[0x81, modrm]);
            a.extend(&c.to_le_bytes());
        }
    }
}

#[cfg(test)]
// The assembler's macro converts a register given at run time with
// `.into()`, which is the same type here.
#[allow(clippy::useless_conversion)]
mod tests {
    use super::*;
    use dynasmrt::{DynasmApi, dynasm};

    fn asm() -> VecAssembler<X64Relocation> {
        VecAssembler::new(0)
    }

    fn bytes(a: VecAssembler<X64Relocation>) -> Vec<u8> {
        a.finalize().expect("no relocations")
    }

    const DISPS: [i32; 9] = [0, 8, -8, 127, -128, 128, -129, 0x7fff_fff8, -0x8000_0000];

    /// An instruction taken apart: REX.W, the opcode, ModRM's `reg` (with
    /// REX.R), the other operand (a register, with REX.B, or a base and a
    /// displacement) and the bytes after it (an immediate).
    #[derive(Debug, PartialEq, Eq)]
    struct Decoded {
        w: bool,
        op: u8,
        reg: u8,
        rm: Operand,
        imm: Vec<u8>,
    }

    #[derive(Debug, PartialEq, Eq)]
    enum Operand {
        Reg(u8),
        Mem(u8, i32),
    }

    /// Decodes an instruction with an optional REX prefix, a one-byte
    /// opcode and a ModRM operand (a SIB byte only without an index).
    fn decode(v: &[u8]) -> Decoded {
        let mut at = 0;
        let rex = if v[0] & 0xf0 == 0x40 {
            at += 1;
            v[0]
        } else {
            0
        };
        let op = v[at];
        let modrm = v[at + 1];
        at += 2;
        let reg = (modrm >> 3 & 7) | (rex & 4) << 1;
        let md = modrm >> 6;
        let mut rm = (modrm & 7) | (rex & 1) << 3;
        let operand = if md == 3 {
            Operand::Reg(rm)
        } else {
            if modrm & 7 == 4 {
                let sib = v[at];
                at += 1;
                assert_eq!(sib >> 3 & 7, 4, "no index");
                rm = (sib & 7) | (rex & 1) << 3;
            }
            assert!(!(md == 0 && rm & 7 == 5), "no rip-relative operand");
            let disp = match md {
                0 => 0,
                1 => {
                    at += 1;
                    i32::from(v[at - 1] as i8)
                }
                _ => {
                    at += 4;
                    i32::from_le_bytes(v[at - 4..at].try_into().expect("four bytes"))
                }
            };
            Operand::Mem(rm, disp)
        };
        Decoded {
            w: rex & 8 != 0,
            op,
            reg,
            rm: operand,
            imm: v[at..].to_vec(),
        }
    }

    /// The bytes the shortest encoding of `[base + disp]` takes past the
    /// ModRM byte.
    fn mem_len(base: Reg, disp: i32) -> usize {
        let sib = usize::from(base & 7 == 4);
        sib + if disp == 0 && base & 7 != 5 {
            0
        } else if i8::try_from(disp).is_ok() {
            1
        } else {
            4
        }
    }

    /// `ours` is the instruction `theirs` is (REX, opcode, ModRM), in the
    /// shortest form, with `imm` bytes of immediate.
    fn same(ours: Vec<u8>, theirs: Vec<u8>, base: Reg, disp: i32, imm: usize, what: &str) {
        assert_eq!(
            decode(&ours),
            decode(&theirs),
            "{what}: {ours:x?} {theirs:x?}"
        );
        assert_eq!(
            ours.len(),
            3 + mem_len(base, disp) + imm,
            "{what}: {ours:x?}"
        );
    }

    #[test]
    fn loads_and_stores_encode_as_the_assembler_does() {
        for d in 0..16u8 {
            for base in 0..16u8 {
                for disp in DISPS {
                    let mut a = asm();
                    load64(&mut a, d, base, disp);
                    let mut b = asm();
                    dynasm!(b; .arch x64; mov Rq(d), [Rq(base) + disp]);
                    let what = format!("load {d} {base} {disp}");
                    same(bytes(a), bytes(b), base, disp, 0, &what);

                    let mut a = asm();
                    store64(&mut a, base, disp, d);
                    let mut b = asm();
                    dynasm!(b; .arch x64; mov [Rq(base) + disp], Rq(d));
                    let what = format!("store {d} {base} {disp}");
                    same(bytes(a), bytes(b), base, disp, 0, &what);
                }
            }
        }
    }

    #[test]
    fn immediates_and_register_moves_encode_as_the_assembler_does() {
        for base in 0..16u8 {
            for disp in DISPS {
                for c in [0, 1, -1, i32::MAX, i32::MIN] {
                    let mut a = asm();
                    store64_imm(&mut a, base, disp, c);
                    let mut b = asm();
                    dynasm!(b; .arch x64; mov QWORD [Rq(base) + disp], c);
                    let what = format!("imm {base} {disp} {c}");
                    same(bytes(a), bytes(b), base, disp, 4, &what);
                }
            }
        }
        for r in 0..16u8 {
            for c in [0, 1, -1, 127, -128, 128, -129, i32::MAX, i32::MIN] {
                for w in [false, true] {
                    for op in [Op1::Add, Op1::Or, Op1::And, Op1::Sub, Op1::Xor, Op1::Cmp] {
                        let mut a = asm();
                        alu_imm(&mut a, op, w, r, c);
                        let mut b = asm();
                        match (op, w) {
                            (Op1::Add, false) => dynasm!(b; .arch x64; add Rd(r), c),
                            (Op1::Or, false) => dynasm!(b; .arch x64; or Rd(r), c),
                            (Op1::And, false) => dynasm!(b; .arch x64; and Rd(r), c),
                            (Op1::Sub, false) => dynasm!(b; .arch x64; sub Rd(r), c),
                            (Op1::Xor, false) => dynasm!(b; .arch x64; xor Rd(r), c),
                            (Op1::Cmp, false) => dynasm!(b; .arch x64; cmp Rd(r), c),
                            (Op1::Add, true) => dynasm!(b; .arch x64; add Rq(r), c),
                            (Op1::Or, true) => dynasm!(b; .arch x64; or Rq(r), c),
                            (Op1::And, true) => dynasm!(b; .arch x64; and Rq(r), c),
                            (Op1::Sub, true) => dynasm!(b; .arch x64; sub Rq(r), c),
                            (Op1::Xor, true) => dynasm!(b; .arch x64; xor Rq(r), c),
                            (Op1::Cmp, true) => dynasm!(b; .arch x64; cmp Rq(r), c),
                        }
                        // The same operation, register and value; the
                        // one-byte immediate (83 /n ib) where it fits.
                        let (ours, theirs) = (bytes(a), bytes(b));
                        let value = |v: &[u8]| {
                            let d = decode(v);
                            let c = match d.op {
                                0x83 => i32::from(d.imm[0] as i8),
                                0x81 => i32::from_le_bytes(d.imm[..].try_into().expect("imm32")),
                                _ => panic!("not group 1: {v:x?}"),
                            };
                            (d.w, d.reg, d.rm, c)
                        };
                        let what = format!("{op:?} {w} {r} {c}: {ours:x?} {theirs:x?}");
                        assert_eq!(value(&ours), value(&theirs), "{what}");
                        assert_eq!(value(&ours).3, c, "{what}");
                        let rex = usize::from(w || r >= 8);
                        let imm = if i8::try_from(c).is_ok() { 1 } else { 4 };
                        assert_eq!(ours.len(), rex + 2 + imm, "{what}");
                    }
                }
            }
        }
        for d in 0..16u8 {
            for s in 0..16u8 {
                let mut a = asm();
                mov64(&mut a, d, s);
                let mut b = asm();
                dynasm!(b; .arch x64; mov Rq(d), Rq(s));
                assert_eq!(bytes(a), bytes(b), "mov {d} {s}");
            }
            for c in [0u32, 1, 0x8000_0000, u32::MAX] {
                let mut a = asm();
                mov32_imm(&mut a, d, c);
                let mut b = asm();
                dynasm!(b; .arch x64; mov Rd(d), c as i32);
                // The assembler puts an empty REX prefix (0x40) before a
                // register it is given at run time; it means nothing here.
                let mut theirs = bytes(b);
                if theirs[0] == 0x40 {
                    theirs.remove(0);
                }
                assert_eq!(bytes(a), theirs, "mov {d} {c}");
            }
        }
    }
}
