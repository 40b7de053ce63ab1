//! Which reader a records file takes: the streaming parallel reader for text —
//! UTF-8, GB18030 or UTF-16 with its byte order mark, comma, tab or semicolon
//! separated, quoted or not — and the workbook reader for xlsx/xls/ods. The general
//! text reader (`records::read_records`) is what the parallel one falls back to when
//! the bytes are not what they should be (a bare CR, a NUL, bytes of no encoding): it
//! is the reference and says where.

use std::path::Path;

/// Whether the streaming reader takes this records file.
pub fn streams(path: &Path) -> bool {
    !super::xlsx::is_xlsx(&super::xlsx::split_sheet(path).0)
}
