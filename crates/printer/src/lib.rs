//! The weft AST back to WebAssembly text (being built).
