//! Which reader a records file takes: the streaming parallel reader for comma-separated
//! text that is not UTF-16 (UTF-8 or GB18030, quoted or not), the general reader for
//! everything else (another delimiter, UTF-16, a workbook), which is the reference.

use std::io::Read;
use std::path::Path;

/// Whether a records file is comma-separated text that is not UTF-16 (its first 64 KiB
/// decide; a file that cannot be opened is left to the reader, which says why).
pub fn comma_text(path: &Path, forced: Option<u8>) -> bool {
    if let Some(d) = forced {
        return d == b',' && !utf16(path);
    }
    let mut head = vec![0u8; 64 * 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head.truncate(n);
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return false;
    }
    super::records::sniff_delimiter(&String::from_utf8_lossy(&head)) == b','
}

fn utf16(path: &Path) -> bool {
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == *b"\xFF\xFE" || head == *b"\xFE\xFF")
}

/// Whether the streaming reader takes this records file.
pub fn streams(path: &Path, forced: Option<u8>) -> bool {
    !super::xlsx::is_xlsx(&super::xlsx::split_sheet(path).0) && comma_text(path, forced)
}
