//! WebAssembly binary format to the weft AST (being built).
