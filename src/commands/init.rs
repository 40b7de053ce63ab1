//! `fencheng init DIR`: a working configuration and records file to start from.

use crate::error::Error;
use crate::msg;
use std::path::Path;

const CONFIG: &str = include_str!("init_templates/config.toml");
const RECORDS: &str = include_str!("init_templates/records.csv");
const PROFILE: &str = include_str!("init_templates/profile.toml");
/// The same starter for a Chinese reader: comments in Chinese, units in 元.
const CONFIG_ZH: &str = include_str!("init_templates/config.zh.toml");
const PROFILE_ZH: &str = include_str!("init_templates/profile.zh.toml");

pub fn init(dir: &Path, profile: bool) -> Result<String, Error> {
    let zh = crate::i18n::lang() == crate::i18n::Lang::Zh;
    let (config, profile_text) = if zh {
        (CONFIG_ZH, PROFILE_ZH)
    } else {
        (CONFIG, PROFILE)
    };
    let mut files = vec![("config.toml", config), ("records.csv", RECORDS)];
    if profile {
        files.push(("profile.toml", profile_text));
    }
    for &(name, _) in &files {
        let p = dir.join(name);
        if p.exists() {
            return Err(Error::Usage(msg!("E0632", path = p.display())));
        }
    }
    let io = |p: &Path, e: std::io::Error| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(p),
            source: e,
        })
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| io(&p, e))?;
    }
    let d = dir.display();
    Ok(format!(
        "{}\n",
        if profile {
            msg!("E0008", dir = d)
        } else {
            msg!("E0633", dir = d)
        }
    ))
}
