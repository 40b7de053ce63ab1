//! Any bytes as a closing's manifest.json in a books directory: opening the books,
//! checking their integrity and reading their obligations never panics and never
//! reads outside the books.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn dir() -> &'static std::path::Path {
    static D: OnceLock<tempfile::TempDir> = OnceLock::new();
    D.get_or_init(|| tempfile::tempdir().expect("temp dir")).path()
}

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<fencheng::manifest::Manifest>(data).map(|m| m.is_intact());
    let closing = dir().join("2025-01");
    let _ = std::fs::create_dir_all(&closing);
    if std::fs::write(closing.join("manifest.json"), data).is_err() {
        return;
    }
    if let Ok(books) = fencheng::input::books::Books::open(dir()) {
        let _ = books.integrity();
        let mut rows = Vec::new();
        for c in &books.closings {
            let _ = fencheng::input::books::read_obligations(&c.dir, 2, &mut rows);
        }
    }
});
