//! Any bytes judged GB18030 or not by the reader's check (`gb18030::valid`, which
//! looks at 64 bytes at a time) exactly as `encoding_rs` decodes them or refuses them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decodes = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(data)
        .is_some();
    assert_eq!(fencheng::input::gb18030::valid(data), decodes);
});
