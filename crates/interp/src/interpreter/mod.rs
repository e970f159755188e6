//! The reference interpreter: an engine that translates each validated
//! function body once into a compact internal form (`ir`, made by
//! `translate`) and runs it (`exec`).

#[allow(unsafe_code)]
pub(crate) mod exec;
pub(crate) mod ir;
pub(crate) mod translate;
