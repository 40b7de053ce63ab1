//! `fencheng statement`: the page both sides sign — its lines add up to the settlement,
//! the total reads back from its capital numerals, a closing lists its adjustments apart,
//! and headless Chromium prints it.

use crate::common;

use common::{fencheng, repo};

/// 人民币大写 back to cents: 壹拾贰万叁仟肆佰伍拾陆元柒角捌分 → 12345678.
fn read_capital(text: &str) -> i128 {
    let digit = |c: char| {
        "零壹贰叁肆伍陆柒捌玖"
            .chars()
            .position(|d| d == c)
            .map(|d| d as i128)
    };
    let (neg, text) = match text.strip_prefix('负') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mut total, mut section, mut d) = (0i128, 0i128, 0i128);
    let (mut yuan, mut jiao, mut fen) = (0i128, 0i128, 0i128);
    for c in text.chars() {
        if let Some(v) = digit(c) {
            d = v;
            continue;
        }
        match c {
            '拾' => {
                section += d * 10;
                d = 0;
            }
            '佰' => {
                section += d * 100;
                d = 0;
            }
            '仟' => {
                section += d * 1000;
                d = 0;
            }
            '万' => {
                total += (section + d) * 10_000;
                section = 0;
                d = 0;
            }
            '亿' => {
                total = (total + section + d) * 100_000_000;
                section = 0;
                d = 0;
            }
            '元' => {
                yuan = total + section + d;
                d = 0;
            }
            '角' => {
                jiao = d;
                d = 0;
            }
            '分' => {
                fen = d;
                d = 0;
            }
            '整' => {}
            other => panic!("not a capital numeral: {other} in {text}"),
        }
    }
    let v = yuan * 100 + jiao * 10 + fen;
    if neg { -v } else { v }
}

fn cents(text: &str) -> i128 {
    let t = text.replace([',', '¥'], "");
    let (i, f) = t.split_once('.').unwrap();
    i.parse::<i128>().unwrap() * 100 + f.parse::<i128>().unwrap()
}

#[test]
fn capital_numerals_read_back() {
    for (t, c) in [
        ("壹拾贰万叁仟肆佰伍拾陆元柒角捌分", 12345678),
        ("壹佰万元零壹分", 100000001),
        ("伍分", 5),
        ("壹亿零壹万元整", 10001000000),
    ] {
        assert_eq!(read_capital(t), c, "{t}");
    }
}

#[test]
fn every_page_adds_up_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::fencheng_in(repo(), "run --config config --records samples/records-2025.csv --entities samples/entities.csv --deductions samples/deductions-2025.csv --out")
        .arg(&out)
        .assert()
        .success();
    fencheng().arg("statement").arg(&out).assert().success();
    let settlement = std::fs::read_to_string(out.join("settlement.csv")).unwrap();
    let mut pages = 0;
    let mut reversed = 0;
    for l in settlement.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let page = std::fs::read_to_string(
            out.join("statements")
                .join(format!("{}_{}_{}.html", f[0], f[1], f[2])),
        )
        .unwrap();
        let capital = page
            .split("id=\"capital\">人民币")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert_eq!(read_capital(capital), cents(f[3]), "{l}: {capital}");
        let figure = page
            .split("id=\"total\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert_eq!(cents(figure), cents(f[3]), "{l}");
        // Parks and taxes by their names, never their ids.
        assert!(
            !page.contains("<td>cheng-a</td>") && !page.contains("<td>vat</td>"),
            "{l}"
        );
        // A line the other way (negative) is explained in words, and only then.
        let negative = page.contains("<td class=\"n\">-");
        assert_eq!(page.contains("id=\"reversed\""), negative, "{l}");
        reversed += usize::from(negative);
        for needle in [
            "税收分成结算单",
            "经办人",
            "复核人",
            "负责人",
            "盖章",
            "行政区划代码",
        ] {
            assert!(page.contains(needle), "{needle} missing in {l}");
        }
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "a page loads nothing"
        );
        pages += 1;
    }
    assert!(pages > 50);
    // ganzi and meishan each host a zone of the other: some months net the other way.
    assert!(reversed > 0, "no page with a line the other way");
    let cheng_a =
        std::fs::read_to_string(out.join("statements").join("2025-01_chengdu_aba.html")).unwrap();
    assert!(
        cheng_a.contains("<td>成阿工业园区 cheng-a</td><td>增值税 vat</td>"),
        "{cheng_a}"
    );
    // The reference is the manifest's SHA-256.
    let m = std::fs::read(out.join("manifest.json")).unwrap();
    let sha = fencheng::manifest::sha256_hex(&m);
    let first = std::fs::read_dir(out.join("statements"))
        .unwrap()
        .flatten()
        .next()
        .unwrap();
    assert!(
        std::fs::read_to_string(first.path())
            .unwrap()
            .contains(&sha)
    );
}

#[test]
fn a_closing_lists_its_adjustments_apart_and_chromium_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let books = dir.path().join("books");
    for args in [
        &["samples/monthly/records-2025-01.csv"][..],
        &[
            "samples/monthly/records-2025-02.csv",
            "samples/monthly/late-2025-04.csv",
        ],
    ] {
        let mut c = fencheng();
        c.current_dir(repo())
            .args([
                "close",
                "--config",
                "config",
                "--entities",
                "samples/entities.csv",
                "--books",
            ])
            .arg(&books);
        for a in args {
            c.args(["--records", a]);
        }
        c.assert().success();
    }
    let closing = books.join("2025-02");
    let to = dir.path().join("pages");
    let pdf = std::path::Path::new("/usr/bin/chromium").exists();
    if !pdf {
        assert!(
            std::env::var_os("FENCHENG_REQUIRE_BROWSER").is_none(),
            "FENCHENG_REQUIRE_BROWSER is set but /usr/bin/chromium is missing"
        );
        eprintln!("no Chromium here: the PDF is not printed (install the Debian package chromium)");
    }
    let mut cmd = fencheng();
    cmd.arg("statement").arg(&closing).arg("--to").arg(&to);
    if pdf {
        cmd.arg("--pdf");
    }
    cmd.assert().success();
    let page = std::fs::read_to_string(to.join("2025-02_chengdu_aba.html")).unwrap();
    assert!(
        page.contains("以前期间调整") && page.contains("2025-01"),
        "{page}"
    );
    assert!(page.contains("（已结账）"));
    if pdf {
        let bytes = std::fs::read(to.join("2025-02_chengdu_aba.pdf")).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, .. proptest::prelude::ProptestConfig::default() })]
    /// Any amount up to ¥10^15 reads back to itself, writes 亿 at most once and 零 never
    /// twice in a row (《支付结算办法》's rules for capital numerals).
    #[test]
    fn capital_numerals_up_to_ten_to_the_fifteen(cents in 0i128..=100_000_000_000_000_000) {
        let text = fencheng::output::capital::capital(cents);
        proptest::prop_assert_eq!(read_capital(&text), cents, "{}", text);
        proptest::prop_assert!(text.matches('亿').count() <= 1, "{}", text);
        proptest::prop_assert!(!text.contains("零零"), "{}", text);
    }
}
