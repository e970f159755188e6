//! The value stack: untyped 64-bit slots and typed access to its top.

/// The operand and locals stack of every active frame.
///
/// `sp` is the index of the first free slot. The translator guarantees that
/// valid code never pops below its frame and the caller sizes `slots` for a
/// frame's maximum height on entry, so pushes and pops stay in bounds (and a
/// bug would be a bounds-check panic, never undefined behaviour).
#[derive(Debug, Default)]
pub(crate) struct Stack {
    pub slots: Vec<u64>,
    pub sp: usize,
}

#[allow(missing_docs)]
impl Stack {
    #[inline(always)]
    pub fn pop(&mut self) -> u64 {
        self.sp -= 1;
        self.slots[self.sp]
    }
    #[inline(always)]
    pub fn push(&mut self, v: u64) {
        self.slots[self.sp] = v;
        self.sp += 1;
    }
    #[inline(always)]
    pub fn top(&mut self) -> &mut u64 {
        &mut self.slots[self.sp - 1]
    }
    #[inline(always)]
    pub fn pop_i32(&mut self) -> i32 {
        self.pop() as i32
    }
    #[inline(always)]
    pub fn pop_u32(&mut self) -> u32 {
        self.pop() as u32
    }
    #[inline(always)]
    pub fn pop_i64(&mut self) -> i64 {
        self.pop() as i64
    }
    #[inline(always)]
    pub fn pop_u64(&mut self) -> u64 {
        self.pop()
    }
    #[inline(always)]
    pub fn pop_f32(&mut self) -> f32 {
        f32::from_bits(self.pop() as u32)
    }
    #[inline(always)]
    pub fn pop_f64(&mut self) -> f64 {
        f64::from_bits(self.pop())
    }
    #[inline(always)]
    pub fn pop_v128(&mut self) -> u128 {
        let hi = self.pop();
        let lo = self.pop();
        (hi as u128) << 64 | lo as u128
    }
    #[inline(always)]
    pub fn push_i32(&mut self, v: i32) {
        self.push(v as u32 as u64)
    }
    #[inline(always)]
    pub fn push_u32(&mut self, v: u32) {
        self.push(v as u64)
    }
    #[inline(always)]
    pub fn push_i64(&mut self, v: i64) {
        self.push(v as u64)
    }
    #[inline(always)]
    pub fn push_u64(&mut self, v: u64) {
        self.push(v)
    }
    #[inline(always)]
    pub fn push_f32(&mut self, v: f32) {
        self.push(v.to_bits() as u64)
    }
    #[inline(always)]
    pub fn push_f64(&mut self, v: f64) {
        self.push(v.to_bits())
    }
    #[inline(always)]
    pub fn push_bool(&mut self, v: bool) {
        self.push(v as u64)
    }
    #[inline(always)]
    pub fn push_v128(&mut self, v: u128) {
        self.push(v as u64);
        self.push((v >> 64) as u64);
    }
}
