//! Validation of WebAssembly modules (being built).
