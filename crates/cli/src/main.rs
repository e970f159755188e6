//! The `weft` command (being built).

fn main() {}
