//! Generated modules are valid: any bytes, through weft-smith in swarm
//! mode over every proposal, give a module that weft-validator accepts as
//! an AST and, encoded, from bytes.

#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use weft_ast::Features;
use weft_smith::{Config, Smith};

fuzz_target!(|data: &[u8]| {
    let config = Config::swarm(Features::ALL);
    let features = weft_smith::features_for(data, &config);
    let module = weft_ast::Module::arbitrary(&mut Unstructured::new(data), &config)
        .expect("generation never fails");
    if let Err(e) = weft_validator::validate(&module, features) {
        panic!("invalid module ({features:?}): {e}");
    }
    if let Err(e) = weft_validator::validate_bytes(&module.encode(), features) {
        panic!("encoded module rejected ({features:?}): {e}");
    }
});
