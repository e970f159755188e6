//! WebAssembly text format to the weft AST (being built).
