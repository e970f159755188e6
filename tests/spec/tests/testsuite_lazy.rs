//! The spec testsuite with lazy translation (`Semantics::lazy`: every
//! module validated whole at load, each body translated for the
//! interpreter at its first call): every file must pass exactly the
//! commands the eager interpreter does and fail exactly the same lines
//! (`expectations.tsv`; binary checks do not depend on when bodies are
//! translated), so that deferring translation changes no verdict, result,
//! trap or error: see `same_as_interp/mod.rs`.

mod same_as_interp;

fn main() {
    same_as_interp::run("lazy", |s| weft_spec::runner::Semantics { lazy: true, ..s });
}
