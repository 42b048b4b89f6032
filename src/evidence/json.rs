//! Splits a JSON evidence file into its top-level objects without holding the file in memory.
//!
//! Accepted layouts: JSON lines, objects one after another (pretty-printed or not), or one
//! top-level array whose elements are the objects (SendGrid's webhook body). The scanner
//! tracks strings and nesting only; each object's bytes are then parsed by the format's
//! parser, so a syntax error inside an object is reported by serde_json with its line.
use std::io::BufRead;

/// A structural problem: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitError {
    pub(crate) line: u64,
    pub(crate) message: String,
}

/// The top-level objects of a reader.
pub(crate) struct Values<R> {
    reader: R,
    line: u64,
    started: bool,
    in_array: bool,
    done: bool,
}

impl<R: BufRead> Values<R> {
    pub(crate) fn new(reader: R) -> Values<R> {
        Values {
            reader,
            line: 1,
            started: false,
            in_array: false,
            done: false,
        }
    }

    fn fail<T>(&mut self, line: u64, message: String) -> Result<T, SplitError> {
        self.done = true;
        Err(SplitError { line, message })
    }

    fn read_error<T>(&mut self, e: std::io::Error) -> Result<T, SplitError> {
        let line = self.line;
        self.fail(line, format!("cannot read the file: {e}"))
    }

    /// The next byte that is not whitespace (or, between array elements, a comma), consumed
    /// only when it is whitespace.
    fn skip_space(&mut self) -> Result<Option<u8>, SplitError> {
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return self.read_error(e),
            };
            if chunk.is_empty() {
                return Ok(None);
            }
            let mut used = 0;
            let mut found = None;
            for &b in chunk {
                match b {
                    b'\n' => self.line += 1,
                    b' ' | b'\t' | b'\r' => {}
                    _ => {
                        found = Some(b);
                        break;
                    }
                }
                used += 1;
            }
            self.reader.consume(used);
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    /// Reads the next object into `buf` (cleared first) and returns the line it starts on;
    /// `None` at the end.
    pub(crate) fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<u64>, SplitError> {
        buf.clear();
        if self.done {
            return Ok(None);
        }
        let mut first = self.skip_space()?;
        if !self.started {
            self.started = true;
            // A byte-order mark before the first value.
            if first == Some(0xEF) {
                let mut bom = [0u8; 3];
                if self.reader.read_exact(&mut bom).is_err() || bom != [0xEF, 0xBB, 0xBF] {
                    let line = self.line;
                    return self.fail(line, "not JSON: the file starts with stray bytes".into());
                }
                first = self.skip_space()?;
            }
            if first == Some(b'[') {
                self.in_array = true;
                self.reader.consume(1);
                first = self.skip_space()?;
            }
        }
        if self.in_array {
            if first == Some(b',') {
                self.reader.consume(1);
                first = self.skip_space()?;
            }
            if first == Some(b']') {
                self.reader.consume(1);
                self.in_array = false;
                return match self.skip_space()? {
                    None => {
                        self.done = true;
                        Ok(None)
                    }
                    Some(_) => {
                        let line = self.line;
                        self.fail(line, "unexpected text after the closing `]`".into())
                    }
                };
            }
        }
        match first {
            None if self.in_array => {
                let line = self.line;
                self.fail(line, "the file ends before the array's closing `]`".into())
            }
            None => {
                self.done = true;
                Ok(None)
            }
            Some(b'{') => self.object(buf).map(Some),
            Some(_) => {
                let line = self.line;
                self.fail(
                    line,
                    "expected a JSON object (`{`): evidence files hold JSON objects, one per \
                     line, one after another, or in one array"
                        .into(),
                )
            }
        }
    }

    /// Reads one object (the reader is at its `{`).
    fn object(&mut self, buf: &mut Vec<u8>) -> Result<u64, SplitError> {
        let start = self.line;
        let mut depth = 0u32;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return self.read_error(e),
            };
            if chunk.is_empty() {
                return self.fail(
                    start,
                    "the file ends inside the JSON object that starts here".into(),
                );
            }
            let mut i = 0;
            let mut end = None;
            while i < chunk.len() {
                if in_string {
                    if escaped {
                        // The byte after a backslash is taken whatever it is.
                        escaped = false;
                        i += 1;
                        continue;
                    }
                    // Jump to the next quote or backslash.
                    match memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                        None => i = chunk.len(),
                        Some(j) => {
                            i += j;
                            if chunk[i] == b'\\' {
                                escaped = true;
                            } else {
                                in_string = false;
                            }
                            i += 1;
                        }
                    }
                    continue;
                }
                match chunk[i] {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    b'\n' => self.line += 1,
                    _ => {}
                }
                i += 1;
            }
            let used = end.unwrap_or(chunk.len());
            buf.extend_from_slice(&chunk[..used]);
            self.reader.consume(used);
            if end.is_some() {
                return Ok(start);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Result<Vec<(u64, String)>, SplitError> {
        let mut v = Values::new(std::io::BufReader::with_capacity(7, text.as_bytes()));
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(line) = v.next(&mut buf)? {
            out.push((line, String::from_utf8(buf.clone()).unwrap()));
        }
        Ok(out)
    }

    #[test]
    fn json_lines_pretty_objects_and_arrays() {
        assert_eq!(
            split("{\"a\":1}\n\n{\"b\":\"}\\\"{\"}\n").unwrap(),
            vec![(1, "{\"a\":1}".into()), (3, "{\"b\":\"}\\\"{\"}".into())]
        );
        assert_eq!(
            split("{\n  \"a\": [1, {\"x\": 2}]\n}\n{\"c\":3}").unwrap(),
            vec![
                (1, "{\n  \"a\": [1, {\"x\": 2}]\n}".into()),
                (4, "{\"c\":3}".into())
            ]
        );
        assert_eq!(
            split("[\n{\"a\":1},\n{\"b\":2}\n]\n").unwrap(),
            vec![(2, "{\"a\":1}".into()), (3, "{\"b\":2}".into())]
        );
        assert_eq!(split("[]").unwrap(), vec![]);
        assert_eq!(
            split("\u{feff}{\"a\":1}").unwrap(),
            vec![(1, "{\"a\":1}".into())]
        );
    }

    #[test]
    fn structural_problems_name_their_line() {
        assert_eq!(split("{\"a\":1}\nnope\n").unwrap_err().line, 2);
        assert_eq!(split("{\"a\":1}\n{\"b\":\n").unwrap_err().line, 2);
        assert_eq!(split("[{\"a\":1}\n").unwrap_err().line, 2);
        assert_eq!(split("[{\"a\":1}] x").unwrap_err().line, 1);
    }
}
