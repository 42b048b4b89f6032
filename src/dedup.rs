//! Probable duplicate people (the same address on two rows) in bounded memory.
//!
//! While the members file streams, each row with a valid address appends its address key
//! ([`crate::email::normalised_key`]), row number and member id to one of 256
//! temporary files, chosen by the key. Equal keys land in the same bucket, so afterwards each
//! bucket is read alone and duplicates are found exactly, with the first row of each address.
//! Memory is one bucket (about 1/256 of the rows) plus the write buffers; the files (about 25
//! bytes per row) live in the system's temporary folder and are removed when done.
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};

/// How many bucket files.
pub(crate) const BUCKETS: usize = 256;

/// A later row with the address of an earlier one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameEmail {
    /// The later row.
    pub row: u64,
    /// Its member id.
    pub member_id: String,
    /// The first row with the address.
    pub first_row: u64,
    /// Its member id.
    pub first_member_id: String,
}

pub(crate) struct Finder {
    buckets: Vec<BufWriter<File>>,
}

impl Finder {
    pub(crate) fn new() -> io::Result<Finder> {
        let buckets = (0..BUCKETS)
            .map(|_| tempfile::tempfile().map(|f| BufWriter::with_capacity(8192, f)))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Finder { buckets })
    }

    /// A finder without files, to leave behind after [`Finder::finish`].
    pub(crate) fn empty() -> Finder {
        Finder {
            buckets: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, key: i64, row: u64, member_id: &str) -> io::Result<()> {
        let bucket = ((key as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize;
        let w = &mut self.buckets[bucket];
        w.write_all(&key.to_le_bytes())?;
        w.write_all(&row.to_le_bytes())?;
        w.write_all(&(member_id.len() as u16).to_le_bytes())?;
        w.write_all(member_id.as_bytes())
    }

    /// Reads the buckets back; `found` gets every later row with an earlier row's address,
    /// one bucket at a time.
    pub(crate) fn finish(self, found: &mut dyn FnMut(Vec<SameEmail>)) -> io::Result<()> {
        let mut bytes = Vec::new();
        for w in self.buckets {
            let mut file = w.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            bytes.clear();
            file.read_to_end(&mut bytes)?;
            // Each entry is at least 18 bytes: room for them all, so the map never regrows.
            let mut first: HashMap<i64, (u64, &str)> = HashMap::with_capacity(bytes.len() / 18);
            let mut same = Vec::new();
            let mut at = 0;
            while at + 18 <= bytes.len() {
                let key = i64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
                let row = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().expect("8 bytes"));
                let len = u16::from_le_bytes([bytes[at + 16], bytes[at + 17]]) as usize;
                let id = std::str::from_utf8(&bytes[at + 18..at + 18 + len])
                    .expect("ids were written as UTF-8");
                at += 18 + len;
                match first.get(&key) {
                    Some((first_row, first_id)) => same.push(SameEmail {
                        row,
                        member_id: id.to_string(),
                        first_row: *first_row,
                        first_member_id: first_id.to_string(),
                    }),
                    None => {
                        first.insert(key, (row, id));
                    }
                }
            }
            if !same.is_empty() {
                found(same);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_later_rows_with_an_earlier_address() {
        let mut f = Finder::new().unwrap();
        f.add(7, 2, "a").unwrap();
        f.add(9, 3, "b").unwrap();
        f.add(7, 5, "c").unwrap();
        f.add(7, 9, "d").unwrap();
        let mut all = Vec::new();
        f.finish(&mut |s| all.extend(s)).unwrap();
        all.sort_by_key(|s| s.row);
        let pairs: Vec<(u64, &str, u64, &str)> = all
            .iter()
            .map(|s| {
                (
                    s.row,
                    s.member_id.as_str(),
                    s.first_row,
                    s.first_member_id.as_str(),
                )
            })
            .collect();
        assert_eq!(pairs, [(5, "c", 2, "a"), (9, "d", 2, "a")]);
    }
}
