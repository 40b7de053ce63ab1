//! Any bytes as a configuration file: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = fencheng::config::load::load_files(vec![("fuzz.toml".to_string(), data.to_vec())], 0);
});
