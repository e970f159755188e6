//! The kernels on wasmi alone (see `kernels/side.rs`):
//! `exec_wasmi [CALLS [FILTER]]`. `exec_ratio split` runs it.

#[allow(dead_code)]
#[path = "../kernels/engines.rs"]
mod engines;
#[path = "../kernels/side.rs"]
mod side;

fn main() {
    side::main(engines::Wasmi::new, engines::Wasmi::run);
}
