//! The kernels on weft's interpreter alone (see `kernels/side.rs`):
//! `exec_weft [CALLS [FILTER]]`. `exec_ratio split` runs it.

#[allow(dead_code)]
#[path = "../kernels/engines.rs"]
mod engines;
#[path = "../kernels/side.rs"]
mod side;

fn main() {
    side::main(engines::Weft::new, engines::Weft::run);
}
