//! Generates a synthetic members file for `handover plan`, deterministically.
//!
//! ```sh
//! cargo run --release --example gen_members -- --rows 1000000 --out members.csv
//! cargo run --example gen_members -- --rows 300 --seed 2012   # to standard output
//! ```
//!
//! The columns match `examples/acquisition/handover.yaml`. Every file has the quirks a real
//! export has, at fixed rates: closed, deleted and suspended accounts; missing emails; invalid
//! ones (a display name, a domain literal, no top-level domain); the same address in another
//! letter case on a later row; minors; special-category data (dietary requirements, which
//! can reveal health or religion); do-not-sell and newsletter-unsubscribed flags. Member ids
//! are unique, so the file always plans. Names and addresses are invented, on example domains.
use std::io::{BufWriter, Write};

const FAMILY: [&str; 24] = [
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Smith",
    "Garcia",
    "Muller",
    "Martin",
    "Rossi",
    "Kim",
    "Nguyen",
    "Chen",
];
const GIVEN: [&str; 24] = [
    "Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Ren", "Mei", "Takumi", "Sakura", "Kenji",
    "Yuki", "Emma", "Liam", "Olivia", "Noah", "Sofia", "Lucas", "Mia", "Leon", "Chloe", "Minho",
    "Linh", "Wei",
];
const DOMAINS: [&str; 5] = [
    "example.jp",
    "example.com",
    "mail.example.org",
    "example.co.uk",
    "example.net",
];
const OCCUPATIONS: [&str; 8] = [
    "engineer", "teacher", "student", "nurse", "designer", "retired", "sales", "",
];
const INTERESTS: [&str; 8] = [
    "temples;food",
    "hiking;onsen",
    "anime;shopping",
    "skiing",
    "history;museums",
    "nightlife",
    "photography;gardens",
    "",
];
const DIETS: [&str; 4] = ["vegetarian", "halal", "nut allergy", "gluten-free"];

/// splitmix64: a small, fast, reproducible generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn main() -> std::io::Result<()> {
    let mut rows: u64 = 300;
    let mut seed: u64 = 2012;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the option");
        match arg.as_str() {
            "--rows" => rows = value().parse().expect("--rows N"),
            "--seed" => seed = value().parse().expect("--seed N"),
            "--out" => out = Some(value()),
            _ => {
                eprintln!("usage: gen_members [--rows N] [--seed N] [--out FILE]");
                std::process::exit(2);
            }
        }
    }
    let sink: Box<dyn Write> = match &out {
        Some(path) => Box::new(std::fs::File::create(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, sink);
    writeln!(
        w,
        "member_id,name,email,status,birth_date,gender,zip,occupation,interests,dietary_requirements,do_not_sell,newsletter_unsubscribed,joined"
    )?;
    let mut rng = Rng(seed);
    let mut last_email = String::new();
    for i in 1..=rows {
        let family = rng.pick(&FAMILY);
        let given = rng.pick(&GIVEN);
        let domain = rng.pick(&DOMAINS);
        let status = match rng.below(100) {
            0..=4 => "closed",
            5..=7 => "deleted",
            8..=9 => "suspended",
            _ => "active",
        };
        let email = match rng.below(100) {
            0..=2 => String::new(),
            3..=4 => format!(
                "\"{given} {family}\" <{}.{}@{domain}>",
                lower(given),
                lower(family)
            ),
            5 => format!("{}@[192.0.2.{}]", lower(given), rng.below(250) + 1),
            6 => format!("{}.{}@localhost", lower(given), lower(family)),
            7..=8 if !last_email.is_empty() => last_email.to_uppercase(),
            _ => format!("{}.{}{}@{domain}", lower(given), lower(family), i),
        };
        if email.contains('@') && !email.contains('<') {
            last_email.clone_from(&email);
        }
        let year = match rng.below(100) {
            0..=4 => 2010 + rng.below(8),
            5..=9 => 0,
            _ => 1950 + rng.below(55),
        };
        let birth = if year == 0 {
            String::new()
        } else {
            format!("{year}-{:02}-{:02}", rng.below(12) + 1, rng.below(28) + 1)
        };
        let gender = ["female", "male", "", "nonbinary"][rng.below(4) as usize];
        let zip = if rng.below(10) < 7 {
            format!("{:03}-{:04}", rng.below(1000), rng.below(10000))
        } else {
            String::new()
        };
        let diet = if rng.below(100) < 5 {
            rng.pick(&DIETS)
        } else {
            ""
        };
        let dns = if rng.below(100) < 4 { "yes" } else { "no" };
        let unsub = if rng.below(100) < 15 { "yes" } else { "no" };
        let joined = format!(
            "{}-{:02}-{:02}",
            2004 + rng.below(9),
            rng.below(12) + 1,
            rng.below(28) + 1
        );
        let occupation = rng.pick(&OCCUPATIONS);
        let interests = rng.pick(&INTERESTS);
        writeln!(
            w,
            "M{i:08},{given} {family},{},{status},{birth},{gender},{zip},{occupation},{interests},{diet},{dns},{unsub},{joined}",
            quote(&email)
        )?;
    }
    w.flush()
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn quote(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
