//! `fencheng serve`: a real browser (headless Chromium, driven through chromedriver's
//! WebDriver protocol) moves a slider and reads the figure, which must equal `run
//! --set` for the same value; the offer downloaded as a scenario reproduces it.
//! Malformed requests get 4xx and the server keeps answering; 100 concurrent
//! recomputations are answered correctly.
//!
//! Without Chromium the browser test says so and skips — unless
//! FENCHENG_REQUIRE_BROWSER is set (as `.ci/run` does), then it fails.

use crate::common;

use common::repo;
use std::io::{BufRead, BufReader, Read, Write};

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PATH: &str = "zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba";

/// A plain HTTP/1.1 request; returns (status, body). Enough for our server and for
/// chromedriver, without a client library.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    host: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // Read the head, then exactly the body it announces (a server may keep the
    // connection open whatever we asked).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            break raw.len();
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let have = raw.len() - head_end;
        let done = match length {
            Some(n) => have >= n,
            None if chunked => raw.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let rest = String::from_utf8_lossy(&raw[head_end..]).into_owned();
    let body = if chunked {
        let mut out = String::new();
        let mut r = rest.as_str();
        while let Some((len, tail)) = r.split_once("\r\n") {
            let n = usize::from_str_radix(len.trim(), 16).unwrap_or(0);
            if n == 0 || tail.len() < n {
                break;
            }
            out.push_str(&tail[..n]);
            r = tail[n..].trim_start_matches("\r\n");
        }
        out
    } else {
        rest
    };
    Ok((status, body))
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    serve_in(repo(), &[], Stdio::null())
}

fn serve_in(dir: &std::path::Path, env: &[(&str, &str)], stderr: Stdio) -> Server {
    serve_with(dir, env, stderr, &[])
}

fn serve_with(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    stderr: Stdio,
    extra: &[&str],
) -> Server {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("fencheng"))
        .current_dir(dir)
        .envs(env.iter().copied())
        .args([
            "serve",
            "--config",
            "config",
            "--records",
            "samples/records-2025.csv",
            "--entities",
            "samples/entities.csv",
            "--port",
            "0",
            "--lang",
            "zh",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "first line: {url}"
    );
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    Server { child, addr }
}

fn compute_body(value: &str) -> String {
    format!(
        r#"{{"zone":"cheng-a","offers":[{{"name":"ours","set":["{PATH}={value}"]}}],"growth":"0","discount":"","life":false}}"#
    )
}

/// aba's VAT in 成阿 over the records, as `run --set` computes it.
fn run_figure(extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    common::fencheng_in(repo(), "run --config config --records samples/records-2025.csv --entities samples/entities.csv --out")
        .arg(dir.path())
        .args(extra)
        .assert()
        .success();
    let summary = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    let mut cents: i128 = 0;
    for l in summary.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if f[1] == "cheng-a" && f[2] == "vat" && f[3] == "aba" {
            let (i, d) = f[4].split_once('.').unwrap();
            let neg = i.starts_with('-');
            let v = i.trim_start_matches('-').parse::<i128>().unwrap() * 100
                + d.parse::<i128>().unwrap();
            cents += if neg { -v } else { v };
        }
    }
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[test]
fn malformed_requests_get_4xx_and_concurrent_recomputations_are_right() {
    let srv = serve();
    let host = srv.addr.clone();
    // Safe by default: another Host or Origin is refused.
    let (code, _) = http(&srv.addr, "GET", "/", "evil.example:80", "").unwrap();
    assert_eq!(code, 403);
    // A few thousand malformed requests: bad JSON, wrong shapes, huge bodies, unknown
    // zones and paths, too many values; all 4xx, never a 5xx or a hang.
    let mut state: u64 = 12345;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    };
    let shapes = [
        "garbage".to_string(),
        "{}".into(),
        r#"{"zone":"cheng-a"}"#.into(),
        r#"{"zone":"nowhere","offers":[]}"#.into(),
        r#"{"zone":"cheng-a","offers":[{"name":"x","set":["zone.cheng-a.rule.x=1"]}]}"#.into(),
        r#"{"zone":"cheng-a","offers":[{"name":"x","set":["no-equals"]}]}"#.into(),
        format!(r#"{{"zone":"cheng-a","offers":[{{"name":"x","set":["{PATH}=1.5"]}}]}}"#),
        format!(
            r#"{{"zone":"cheng-a","offers":[{{"name":"x","set":[{}]}}]}}"#,
            vec![format!("\"{PATH}=0.5\""); 201].join(",")
        ),
        r#"{"zone":"cheng-a","offers":[],"growth":"abc"}"#.into(),
        r#"{"zone":"cheng-a","offers":[],"extra":1}"#.into(),
        "x".repeat(70_000),
        r#"{"set":[],"period":"2099-01","zone":"cheng-a","metric":"vat"}"#.into(),
    ];
    let paths = [
        "/api/compute",
        "/api/explain",
        "/api/scenario",
        "/api/xlsx",
        "/api/nothing",
    ];
    let mut seen = std::collections::BTreeMap::new();
    for i in 0..2000 {
        let mut body = shapes[(next() as usize) % shapes.len()].clone();
        if i % 3 == 0 && !body.is_empty() {
            // Flip a byte somewhere.
            let mut b = body.into_bytes();
            let k = (next() as usize) % b.len();
            b[k] = b[k].wrapping_add(1 + (next() % 50) as u8);
            body = String::from_utf8_lossy(&b).into_owned();
        }
        let path = paths[(next() as usize) % paths.len()];
        let (code, text) = http(&srv.addr, "POST", path, &host, &body).unwrap();
        // A well-formed question about a cell without records is answered, saying so.
        let said_empty = code == 200 && path == "/api/explain" && text.contains("\"empty\":true");
        assert!(
            (400..500).contains(&code) || said_empty,
            "{path} {body:.80}: {code} {text:.200}"
        );
        *seen.entry(code).or_insert(0) += 1;
    }
    assert!(seen.contains_key(&400), "{seen:?}");
    // A refusal says what is wrong and carries the message's stable code.
    let (code, text) = http(
        &srv.addr,
        "POST",
        "/api/compute",
        &host,
        r#"{"zone":"nowhere","offers":[]}"#,
    )
    .unwrap();
    assert_eq!(code, 400);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["code"], "E0214", "{text}");
    // Still answering, and right: ten values, then 100 concurrent requests.
    let values: Vec<String> = (0..10).map(|i| format!("0.{}", 50 + i * 2)).collect();
    let figure = |text: &str| -> String {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["offers"][1]["run"]["vat"]["aba"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let expected: Vec<String> = values
        .iter()
        .map(|v| {
            let (code, text) =
                http(&srv.addr, "POST", "/api/compute", &host, &compute_body(v)).unwrap();
            assert_eq!(code, 200, "{text}");
            figure(&text)
        })
        .collect();
    assert_eq!(
        expected[5],
        run_figure(&["--set", &format!("{PATH}={}", values[5])])
    );
    let handles: Vec<_> = (0..100)
        .map(|i| {
            let (addr, host, v, want) = (
                srv.addr.clone(),
                host.clone(),
                values[i % 10].clone(),
                expected[i % 10].clone(),
            );
            std::thread::spawn(move || {
                let (code, text) =
                    http(&addr, "POST", "/api/compute", &host, &compute_body(&v)).unwrap();
                assert_eq!(code, 200);
                let got: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(
                    got["offers"][1]["run"]["vat"]["aba"].as_str().unwrap(),
                    want
                );
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn a_second_host_is_refused_and_a_changed_file_is_not_explained() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("samples")).unwrap();
    std::fs::create_dir_all(root.join("config")).unwrap();
    for e in std::fs::read_dir(repo().join("config")).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), root.join("config").join(e.file_name())).unwrap();
        }
    }
    for f in ["records-2025.csv", "entities.csv"] {
        std::fs::copy(repo().join("samples").join(f), root.join("samples").join(f)).unwrap();
    }
    let srv = serve_in(root, &[], Stdio::null());
    let host = srv.addr.clone();
    // Two Host headers, the second foreign: refused like a foreign one.
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer:.200}");
    // explain answers from the files as read at start...
    let ask = r#"{"set":[],"period":"2025-03","zone":"cheng-a","metric":"vat"}"#;
    let (code, text) = http(&srv.addr, "POST", "/api/explain", &host, ask).unwrap();
    assert_eq!(code, 200, "{text:.300}");
    // ...and refuses once the records changed on disk, rather than contradict the page.
    let records = root.join("samples/records-2025.csv");
    let mut t = std::fs::read_to_string(&records).unwrap();
    t.push_str("2025-03,cheng-a,91510121MA61A0001A,vat,1.00,2014-04-01\n");
    std::fs::write(&records, t).unwrap();
    let (code, text) = http(&srv.addr, "POST", "/api/explain", &host, ask).unwrap();
    assert_eq!(code, 400, "{text:.300}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["code"], "E0698", "{text}");
}

#[test]
fn work_for_a_page_that_went_away_stops() {
    let srv = serve_in(
        repo(),
        &[("FENCHENG_SERVE_PAUSE_MS", "500")],
        Stdio::piped(),
    );
    let mut srv = srv;
    let stderr = srv.child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let offer = |n: &str| format!(r#"{{"name":"{n}","set":["{PATH}=0.6"]}}"#);
    let body = format!(
        r#"{{"zone":"cheng-a","offers":[{},{},{}],"growth":"0","discount":"","life":false}}"#,
        offer("a"),
        offer("b"),
        offer("c")
    );
    {
        // Ask, and close the connection at once.
        let mut s = TcpStream::connect(&srv.addr).unwrap();
        write!(
            s,
            "POST /api/compute HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            srv.addr,
            body.len()
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    let line = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the server says it stopped");
    // (The server speaks Chinese: --lang zh.)
    assert!(
        line.contains("页面已关闭") && line.contains("4 个方案中已算"),
        "{line}"
    );
    // Stopped early: not after the last offer.
    assert!(!line.contains("已算 4 个"), "{line}");
    // And still answering.
    let (code, _) = http(&srv.addr, "GET", "/api/model", &srv.addr, "").unwrap();
    assert_eq!(code, 200);
}

#[test]
fn every_offer_shows_the_quota_accounts_of_fencheng_quota() {
    let srv = serve_with(
        repo(),
        &[],
        Stdio::null(),
        &[
            "--allocations",
            "samples/allocations-2025.csv",
            "--transfers",
            "samples/transfers-2025.csv",
            "--deductions",
            "samples/deductions-2025.csv",
        ],
    );
    let body = r#"{"zone":"gaozhu","offers":[],"growth":"0","discount":"","life":false}"#;
    let (code, text) = http(&srv.addr, "POST", "/api/compute", &srv.addr, body).unwrap();
    assert_eq!(code, 200, "{text:.400}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let accounts = v["offers"][0]["quota"]["accounts"].as_array().unwrap();
    // The baseline's accounts are `fencheng quota`'s, figure for figure.
    let out = common::fencheng_in(
        repo(),
        "quota --config config --records samples/records-2025.csv --entities samples/entities.csv --deductions samples/deductions-2025.csv --allocations samples/allocations-2025.csv --transfers samples/transfers-2025.csv --format csv",
    )
    .output()
    .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let a = accounts
            .iter()
            .find(|a| {
                a["year"] == f[0].parse::<i64>().unwrap()
                    && a["metric"] == f[1]
                    && a["party"] == f[2]
            })
            .unwrap_or_else(|| panic!("{line}"));
        for (k, name) in [
            "allocated",
            "transferred_in",
            "transferred_out",
            "used",
            "exempt",
            "headroom",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(a[name], f[3 + k], "{line}: {name}");
        }
        n += 1;
    }
    assert_eq!(n, accounts.len());
    assert!(n >= 4, "{csv}");
    let charts = v["offers"][0]["quota"]["charts"].as_object().unwrap();
    assert!(charts["energy"].as_str().unwrap().starts_with("<svg"));
}

/// A WebDriver session on chromedriver.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            &self.addr,
            "",
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    fn start() -> Option<Browser> {
        let (chromium, driver) = ("/usr/bin/chromium", "/usr/bin/chromedriver");
        if !std::path::Path::new(chromium).exists() || !std::path::Path::new(driver).exists() {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let addr = format!("127.0.0.1:{port}");
        let t0 = Instant::now();
        while http(&addr, "GET", "/status", &addr, "").is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = format!(
            r#"{{"capabilities":{{"alwaysMatch":{{"browserName":"chrome","goog:chromeOptions":{{"binary":"{chromium}","args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--window-size=1400,1100","--lang=zh-CN"]}}}}}}}}"#
        );
        let (code, text) = http(&addr, "POST", "/session", &addr, &caps).unwrap();
        assert_eq!(code, 200, "new session: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let session = v["value"]["sessionId"].as_str().unwrap().to_string();
        Some(Browser {
            driver: child,
            addr,
            session,
        })
    }

    fn call(&self, method: &str, what: &str, body: serde_json::Value) -> serde_json::Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let (code, text) = http(
            &self.addr,
            method,
            &format!("/session/{}/{what}", self.session),
            &self.addr,
            &body,
        )
        .unwrap();
        assert_eq!(code, 200, "{what}: {text}");
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["value"].clone()
    }

    fn js(&self, script: &str) -> serde_json::Value {
        self.call(
            "POST",
            "execute/sync",
            serde_json::json!({"script": script, "args": []}),
        )
    }

    /// A browser, or `None` (the test then skips, saying so) where Chromium is not
    /// installed — unless FENCHENG_REQUIRE_BROWSER is set, as `.ci/run` sets it.
    fn start_or_skip() -> Option<Browser> {
        let b = Browser::start();
        if b.is_none() {
            assert!(
                std::env::var_os("FENCHENG_REQUIRE_BROWSER").is_none(),
                "FENCHENG_REQUIRE_BROWSER is set but /usr/bin/chromium or /usr/bin/chromedriver is missing"
            );
            eprintln!(
                "skipped: no Chromium here (install the Debian packages chromium and chromium-driver)"
            );
        }
        b
    }

    /// The workbench's page, loaded and up to date.
    fn open(&self, srv: &Server) {
        self.call(
            "POST",
            "url",
            serde_json::json!({"url": format!("http://{}/", srv.addr)}),
        );
        self.ready();
    }

    /// Wait until the page says its figures are up to date.
    fn ready(&self) {
        let t0 = Instant::now();
        loop {
            let state = self.js("return document.getElementById('status').dataset.state;");
            if state == "ready" {
                return;
            }
            assert!(
                state != "error",
                "the page reports an error: {}",
                self.js("return document.getElementById('status').textContent;")
            );
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "the page did not get ready: {state}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn a_slider_moved_in_a_real_browser_gives_the_figure_of_run_set() {
    let Some(b) = Browser::start_or_skip() else {
        return;
    };
    let srv = serve();
    b.open(&srv);
    b.js("const z = document.getElementById('zone'); z.value = 'cheng-a'; z.dispatchEvent(new Event('change'));");
    b.ready();
    // Move the slider of aba's first-phase ratio to 0.7, as a person would (input, then
    // change when the mouse is released).
    let moved = b.js(&format!(
        "const s = document.querySelector('input.slider[data-path=\"{PATH}\"]'); if (!s) return false; s.value = '0.7'; s.dispatchEvent(new Event('input')); s.dispatchEvent(new Event('change')); return true;"
    ));
    assert_eq!(moved, true, "no slider for {PATH}");
    b.ready();
    let shown = b.js("return document.querySelector('td.fig[data-offer=\"1\"][data-metric=\"vat\"][data-party=\"aba\"]').textContent;");
    let want = run_figure(&["--set", &format!("{PATH}=0.7")]);
    assert_eq!(
        shown.as_str(),
        Some(want.as_str()),
        "the page shows what run --set gives"
    );
    // The other ratio of the table was rescaled by the server, exactly.
    let other = b.js(&format!(
        "return document.querySelector('input[type=number][data-path=\"{}\"]').value;",
        PATH.replace(".aba", ".chengdu")
    ));
    assert_eq!(other.as_str(), Some("0.3"));
    // The offer as the page downloads it, run as a scenario: the same figure.
    let toml = b.call(
        "POST",
        "execute/async",
        serde_json::json!({"script": "const done = arguments[arguments.length - 1]; fetch('/api/scenario', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: offers[current].name, set: offers[current].set})}).then(r => r.text()).then(done);", "args": []}),
    );
    let dir = tempfile::tempdir().unwrap();
    let offer = dir.path().join("offer.toml");
    std::fs::write(&offer, toml.as_str().unwrap()).unwrap();
    assert_eq!(run_figure(&["--scenario", offer.to_str().unwrap()]), want);
    // A screenshot, to look at.
    let png = b.call("GET", "screenshot", serde_json::Value::Null);
    let bytes = base64_decode(png.as_str().unwrap());
    assert!(bytes.starts_with(b"\x89PNG"));
    let _ = std::fs::write(repo().join("target/workbench.png"), bytes);
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(c);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// What a negotiator sees, in a real browser 1366 px wide: groups under the agreement's
/// words, a one-party table shown but not offered, a refused value red at its box with
/// the figures greyed until it is fixed, a yearly figure explained period by period, a
/// metric without records said without an HTTP error, the trace cleared on a zone
/// change, and no horizontal scroll.
#[test]
fn the_workbench_reads_as_the_agreement_and_refuses_a_bad_value_in_place() {
    let Some(b) = Browser::start_or_skip() else {
        return;
    };
    b.call(
        "POST",
        "window/rect",
        serde_json::json!({"width": 1366, "height": 900}),
    );
    let srv = serve();
    b.open(&srv);
    let zone = |z: &str| {
        b.js(&format!("const z = document.getElementById('zone'); z.value = '{z}'; z.dispatchEvent(new Event('change'));"));
        b.ready();
    };
    zone("cheng-a");
    // Groups under the agreement's words, never a TOML path.
    let heads =
        b.js("return [...document.querySelectorAll('#params h3')].map(h => h.textContent);");
    let heads: Vec<&str> = heads
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    assert!(
        heads
            .iter()
            .all(|h| !h.contains("zone.") && !h.contains(".rule.")),
        "{heads:?}"
    );
    assert!(
        heads
            .iter()
            .any(|h| h.contains("第十二条") && h.contains("第1阶段（5年）")),
        "{heads:?}"
    );
    // No horizontal scroll at 1366 px.
    let fits = b.js("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, true, "the page scrolls sideways at 1366 px");
    // A ratio of 1.5: red at its box with the reason, the figures greyed and said to be
    // the last valid offer's; fixed, all back.
    let before = b.js("return document.querySelector('td.fig[data-offer=\"1\"]').textContent;");
    b.js(&format!(
        "const n = document.querySelector('input[type=number][data-path=\"{PATH}\"]'); n.value = '1.5'; n.dispatchEvent(new Event('change'));"
    ));
    let t0 = Instant::now();
    while b.js("return document.getElementById('status').dataset.state;") != "error" {
        assert!(t0.elapsed() < Duration::from_secs(30), "no refusal shown");
        std::thread::sleep(Duration::from_millis(100));
    }
    let bad = b.js(&format!(
        "const n = document.querySelector('input[type=number][data-path=\"{PATH}\"]'); return [n.classList.contains('bad'), n.closest('.param').querySelector('.err').textContent, document.body.dataset.stale || '', document.getElementById('stale').hidden, document.querySelector('td.fig[data-offer=\"1\"]').textContent];"
    ));
    assert_eq!(bad[0], true, "{bad}");
    assert!(bad[1].as_str().unwrap().contains("1.5"), "{bad}");
    assert_eq!(bad[2], "1", "{bad}");
    assert_eq!(bad[3], false, "{bad}");
    assert_eq!(bad[4], before, "the last valid figures stay");
    let png = b.call("GET", "screenshot", serde_json::Value::Null);
    let _ = std::fs::write(
        repo().join("target/workbench-refused.png"),
        base64_decode(png.as_str().unwrap()),
    );
    b.js(&format!(
        "const n = document.querySelector('input[type=number][data-path=\"{PATH}\"]'); n.value = '0.7'; n.dispatchEvent(new Event('change'));"
    ));
    b.ready();
    let ok = b.js("return [document.querySelectorAll('input.bad').length, document.body.dataset.stale || '', document.getElementById('stale').hidden];");
    assert_eq!(ok, serde_json::json!([0, "", true]));
    // A figure of the table is the year's: its periods, each explained on its own.
    b.js("document.querySelector('td.fig[data-offer=\"1\"][data-metric=\"vat\"]').click();");
    let periods = b
        .js("return [...document.querySelectorAll('#periods button')].map(x => x.dataset.period);");
    assert_eq!(periods.as_array().map(Vec::len), Some(12), "{periods}");
    b.js("document.querySelector('#periods button[data-period=\"2025-07\"]').click();");
    let t0 = Instant::now();
    let trace = loop {
        let t = b.js("return document.getElementById('trace').textContent;");
        if !t.as_str().unwrap_or("").is_empty() {
            break t.as_str().unwrap().to_string();
        }
        assert!(t0.elapsed() < Duration::from_secs(30), "no trace");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        trace.contains("2025-07") && !trace.contains("2025-01（"),
        "{trace}"
    );
    // A metric without records there: said, not an HTTP error.
    let empty = b.call(
        "POST",
        "execute/async",
        serde_json::json!({"script": "const done = arguments[arguments.length - 1]; fetch('/api/explain', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({set: [], period: '2025-01', zone: 'cheng-a', metric: 'land'})}).then(r => r.status + ' ' + r.headers.get('content-type')).then(done);", "args": []}),
    );
    assert!(empty.as_str().unwrap().starts_with("200 "), "{empty}");
    // Another zone: the trace and the periods go; gaozhu's one-party tables are shown
    // without a slider.
    zone("gaozhu");
    let cleared = b.js("return [document.getElementById('trace').textContent, document.getElementById('periods').children.length];");
    assert_eq!(cleared, serde_json::json!(["", 0]));
    let single = b.js("return [...document.querySelectorAll('#params input[type=number][disabled]')].map(n => [n.dataset.path, !!n.closest('.param').querySelector('input.slider')]);");
    let single = single.as_array().unwrap();
    assert!(!single.is_empty(), "no one-party table shown");
    assert!(single.iter().all(|s| s[1] == false), "{single:?}");
    let fits = b.js("return document.documentElement.scrollWidth <= window.innerWidth;");
    assert_eq!(fits, true, "the page scrolls sideways at 1366 px (gaozhu)");
    // A base given year by year (基数) is a number box per year; moved, the page shows
    // what `run --set` gives.
    let base = "zone.gaozhu.agreement.2024.rule.stock-increment.base.2025";
    let moved = b.js(&format!(
        "const n = document.querySelector('input[type=number][data-path=\"{base}\"]'); if (!n || n.disabled) return false; n.value = '1500000.00'; n.dispatchEvent(new Event('change')); return true;"
    ));
    assert_eq!(moved, true, "no number box for {base}");
    b.ready();
    let shown = b.js("return document.querySelector('td.fig[data-offer=\"1\"][data-metric=\"vat_cit\"][data-party=\"guangan\"]').textContent;");
    let dir = tempfile::tempdir().unwrap();
    common::fencheng_in(repo(), "run --config config --records samples/records-2025.csv --entities samples/entities.csv --out")
        .arg(dir.path())
        .args(["--set", &format!("{base}=1500000.00"), "--format", "csv"])
        .assert()
        .success();
    let summary = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    let cents: i128 = summary
        .lines()
        .filter(|l| l.contains(",gaozhu,vat_cit,guangan,"))
        .map(|l| {
            let a = l.rsplit(',').next().unwrap().replace('.', "");
            a.parse::<i128>().unwrap()
        })
        .sum();
    assert_eq!(
        shown.as_str(),
        Some(format!("{}.{:02}", cents / 100, cents % 100).as_str()),
        "the page shows what run --set gives for guangan"
    );
    let png = b.call("GET", "screenshot", serde_json::Value::Null);
    let _ = std::fs::write(
        repo().join("target/workbench-gaozhu.png"),
        base64_decode(png.as_str().unwrap()),
    );
}
