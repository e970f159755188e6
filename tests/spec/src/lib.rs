//! The .wast script runner (being built).
