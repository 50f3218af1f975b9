//! A small JSON reader for loaded data: a value tree that borrows from the body, keeps number
//! tokens as their exact text (so DECIMAL columns are parsed without a float round trip), reads
//! a stream of concatenated documents, and renders values compactly or in StarRocks' JSON column
//! form.
//!
//! Hand-written instead of `serde_json` because (a) the exact number text is needed and serde's
//! `arbitrary_precision` feature would leak into every other crate of the workspace through
//! feature unification, and (b) the load path wants byte offsets of each document for the error log.

use std::borrow::Cow;

use crate::types::float_fmt::format_f64;

/// Nesting deeper than this is rejected instead of risking the stack.
const MAX_DEPTH: usize = 256;

/// A parsed JSON value borrowing from the input.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue<'a> {
    Null,
    Bool(bool),
    /// The number token exactly as written (validated against the JSON grammar).
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<JsonValue<'a>>),
    Object(Vec<(Cow<'a, str>, JsonValue<'a>)>),
}

/// What kind of value a JSON value is (all `JsonReader::skip_value` reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonValue<'_> {
    pub fn kind(&self) -> JsonKind {
        match self {
            JsonValue::Null => JsonKind::Null,
            JsonValue::Bool(_) => JsonKind::Bool,
            JsonValue::Number(_) => JsonKind::Number,
            JsonValue::String(_) => JsonKind::String,
            JsonValue::Array(_) => JsonKind::Array,
            JsonValue::Object(_) => JsonKind::Object,
        }
    }
}

/// A syntax error with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
    /// Only from a `JsonReader::partial` reader: the value runs past the end of the text read
    /// so far, so it is not an error yet (more of the body decides).
    pub incomplete: bool,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at offset {}", self.message, self.offset)
    }
}

/// Reads JSON values from a UTF-8 text one after another.
pub struct JsonReader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Body offset of `text` (added to error offsets).
    base: usize,
    /// `text` is a prefix of the body: running out of it is `JsonError::incomplete`.
    partial: bool,
}

impl<'a> JsonReader<'a> {
    pub fn new(text: &'a str) -> JsonReader<'a> {
        JsonReader::partial(text, 0, false)
    }

    /// A reader of the part of a body that starts at offset `base` (error offsets are body
    /// offsets). With `partial` more of the body may follow `text`: a value that reaches the
    /// end of `text`, or whose validity depends on what follows (a number or literal cut at the
    /// end), fails with an `incomplete` error instead of a syntax error. Whatever it reports
    /// otherwise (values, errors, offsets) is what a reader of the whole body reports.
    pub fn partial(text: &'a str, base: usize, partial: bool) -> JsonReader<'a> {
        JsonReader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            base,
            partial,
        }
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn skip_whitespace(&mut self) {
        while let Some(&c) = self.bytes.get(self.pos) {
            if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// True when only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.skip_whitespace();
        self.pos >= self.bytes.len()
    }

    /// The next byte after whitespace, without consuming it.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `c` (after whitespace) if it is next.
    pub fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or("")
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.base + self.pos,
            message: message.into(),
            incomplete: self.partial && self.pos >= self.bytes.len(),
        })
    }

    /// In a partial reader: is `at..at + n` cut by the end of the text?
    fn cut(&self, at: usize, n: usize) -> bool {
        self.partial && at + n > self.bytes.len()
    }

    fn incomplete<T>(&self) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.base + self.bytes.len(),
            message: "unexpected end of JSON".to_string(),
            incomplete: true,
        })
    }

    /// Parses one value (after skipping whitespace).
    pub fn read_value(&mut self) -> Result<JsonValue<'a>, JsonError> {
        match self.peek() {
            None => self.error("unexpected end of JSON"),
            Some(b'{') => self.read_object(),
            Some(b'[') => self.read_array(),
            Some(b'"') => Ok(JsonValue::String(self.read_string()?)),
            Some(b't') => self.literal("true").map(|()| JsonValue::Bool(true)),
            Some(b'f') => self.literal("false").map(|()| JsonValue::Bool(false)),
            Some(b'n') => self.literal("null").map(|()| JsonValue::Null),
            Some(c) if c == b'-' || c.is_ascii_digit() => self.read_number(),
            Some(c) => self.error(format!("unexpected character '{}'", char::from(c))),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else if self.cut(self.pos, word.len()) && word.as_bytes().starts_with(rest) {
            self.incomplete()
        } else {
            self.error("invalid literal")
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error("JSON nesting too deep");
        }
        self.pos += 1;
        Ok(())
    }

    fn read_object(&mut self) -> Result<JsonValue<'a>, JsonError> {
        self.enter()?;
        let mut members = Vec::new();
        if self.eat(b'}') {
            self.depth -= 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            if self.peek() != Some(b'"') {
                return self.error("expected object key");
            }
            let key = self.read_string()?;
            if !self.eat(b':') {
                return self.error("expected ':'");
            }
            let value = self.read_value()?;
            members.push((key, value));
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                break;
            }
            return self.error("expected ',' or '}'");
        }
        self.depth -= 1;
        Ok(JsonValue::Object(members))
    }

    fn read_array(&mut self) -> Result<JsonValue<'a>, JsonError> {
        self.enter()?;
        let mut items = Vec::new();
        if self.eat(b']') {
            self.depth -= 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            items.push(self.read_value()?);
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                break;
            }
            return self.error("expected ',' or ']'");
        }
        self.depth -= 1;
        Ok(JsonValue::Array(items))
    }

    fn read_number(&mut self) -> Result<JsonValue<'a>, JsonError> {
        let start = self.pos;
        let b = self.bytes;
        let mut p = self.pos;
        if b.get(p) == Some(&b'-') {
            p += 1;
        }
        match b.get(p) {
            Some(b'0') => p += 1,
            Some(c) if c.is_ascii_digit() => {
                while b.get(p).is_some_and(u8::is_ascii_digit) {
                    p += 1;
                }
            }
            _ => {
                self.pos = p;
                return self.error("invalid number");
            }
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            if !b.get(p).is_some_and(u8::is_ascii_digit) {
                self.pos = p;
                return self.error("invalid number");
            }
            while b.get(p).is_some_and(u8::is_ascii_digit) {
                p += 1;
            }
        }
        if matches!(b.get(p), Some(b'e') | Some(b'E')) {
            p += 1;
            if matches!(b.get(p), Some(b'+') | Some(b'-')) {
                p += 1;
            }
            if !b.get(p).is_some_and(u8::is_ascii_digit) {
                self.pos = p;
                return self.error("invalid number");
            }
            while b.get(p).is_some_and(u8::is_ascii_digit) {
                p += 1;
            }
        }
        if self.cut(p, 1) {
            // The number may go on in the rest of the body.
            return self.incomplete();
        }
        self.pos = p;
        Ok(JsonValue::Number(self.slice(start, p)))
    }

    fn read_string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        // Caller checked the opening quote.
        self.pos += 1;
        let start = self.pos;
        let b = self.bytes;
        // Fast path: no escapes.
        let mut p = plain_run_end(b, self.pos);
        match b.get(p) {
            Some(b'"') => {
                self.pos = p + 1;
                return Ok(Cow::Borrowed(self.slice(start, p)));
            }
            Some(c) if *c < 0x20 => {
                self.pos = p;
                return self.error("control character in string");
            }
            _ => {}
        }
        let mut owned = String::from(self.slice(start, p));
        loop {
            let Some(&c) = b.get(p) else {
                self.pos = p;
                return self.error("unterminated string");
            };
            match c {
                b'"' => {
                    self.pos = p + 1;
                    return Ok(Cow::Owned(owned));
                }
                b'\\' => {
                    let (ch, next) = self.read_escape(p)?;
                    owned.push(ch);
                    p = next;
                }
                c if c < 0x20 => {
                    self.pos = p;
                    return self.error("control character in string");
                }
                _ => {
                    // Copy a run of plain characters (valid UTF-8 since the input is a str).
                    let run_start = p;
                    p = plain_run_end(b, p);
                    owned.push_str(self.slice(run_start, p));
                }
            }
        }
    }

    /// Decodes the escape sequence whose backslash is at `p`: the character and the position
    /// after the sequence.
    fn read_escape(&mut self, mut p: usize) -> Result<(char, usize), JsonError> {
        let b = self.bytes;
        let Some(&e) = b.get(p + 1) else {
            if self.partial {
                return self.incomplete();
            }
            self.pos = p;
            return self.error("unterminated string");
        };
        p += 2;
        let ch = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4(p)?;
                p += 4;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if self.cut(p, 2) {
                        return self.incomplete();
                    }
                    if b.get(p) != Some(&b'\\') || b.get(p + 1) != Some(&b'u') {
                        self.pos = p;
                        return self.error("invalid surrogate pair");
                    }
                    let lo = self.hex4(p + 2)?;
                    p += 6;
                    if !(0xDC00..0xE000).contains(&lo) {
                        self.pos = p;
                        return self.error("invalid surrogate pair");
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                match char::from_u32(code) {
                    Some(ch) => ch,
                    None => {
                        self.pos = p;
                        return self.error("invalid unicode escape");
                    }
                }
            }
            _ => {
                self.pos = p;
                return self.error("invalid escape");
            }
        };
        Ok((ch, p))
    }

    /// Checks one value (after skipping whitespace) as `read_value` would, with the same errors
    /// at the same offsets, but builds nothing: what count-only ingest needs.
    pub fn skip_value(&mut self) -> Result<JsonKind, JsonError> {
        match self.peek() {
            None => self.error("unexpected end of JSON"),
            Some(b'{') => self.skip_object().map(|()| JsonKind::Object),
            Some(b'[') => self.skip_array().map(|()| JsonKind::Array),
            Some(b'"') => self.skip_string().map(|()| JsonKind::String),
            Some(b't') => self.literal("true").map(|()| JsonKind::Bool),
            Some(b'f') => self.literal("false").map(|()| JsonKind::Bool),
            Some(b'n') => self.literal("null").map(|()| JsonKind::Null),
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                self.read_number().map(|_| JsonKind::Number)
            }
            Some(c) => self.error(format!("unexpected character '{}'", char::from(c))),
        }
    }

    fn skip_object(&mut self) -> Result<(), JsonError> {
        self.enter()?;
        if self.eat(b'}') {
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return self.error("expected object key");
            }
            self.skip_string()?;
            if !self.eat(b':') {
                return self.error("expected ':'");
            }
            self.skip_value()?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b'}') {
                break;
            }
            return self.error("expected ',' or '}'");
        }
        self.depth -= 1;
        Ok(())
    }

    fn skip_array(&mut self) -> Result<(), JsonError> {
        self.enter()?;
        if self.eat(b']') {
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.skip_value()?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b']') {
                break;
            }
            return self.error("expected ',' or ']'");
        }
        self.depth -= 1;
        Ok(())
    }

    #[inline(always)]
    fn skip_string(&mut self) -> Result<(), JsonError> {
        // Caller checked the opening quote.
        let b = self.bytes;
        let mut p = self.pos + 1;
        loop {
            let Some(&c) = b.get(p) else {
                self.pos = p;
                return self.error("unterminated string");
            };
            match c {
                b'"' => {
                    self.pos = p + 1;
                    return Ok(());
                }
                b'\\' => p = self.read_escape(p)?.1,
                c if c < 0x20 => {
                    self.pos = p;
                    return self.error("control character in string");
                }
                _ => p = plain_run_end(b, p),
            }
        }
    }

    fn hex4(&mut self, at: usize) -> Result<u32, JsonError> {
        if self.cut(at, 4) {
            return self.incomplete();
        }
        let digits = self.bytes.get(at..at + 4);
        let parsed = digits
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match parsed {
            Some(v) => Ok(v),
            None => {
                self.pos = at;
                self.error("invalid unicode escape")
            }
        }
    }
}

/// The index of the first byte at or after `p` that ends a run of plain string characters (`"`,
/// `\`, a control character), or `b.len()`. Eight bytes at a time: for each byte-wise test, the
/// lowest flagged byte of the classic has-zero-byte / has-less-than tricks is a true hit (borrows
/// only flag bytes above a true hit), so the lowest flag of the union is the first hit.
#[inline(always)]
fn plain_run_end(b: &[u8], mut p: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(p..p + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let hits = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x);
        let hits = hits & HIGH;
        if hits != 0 {
            return p + (hits.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while let Some(&c) = b.get(p) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        p += 1;
    }
    p
}

/// Parses a text holding exactly one JSON value (surrounding whitespace allowed).
pub fn parse_single(text: &str) -> Result<JsonValue<'_>, JsonError> {
    let mut reader = JsonReader::new(text);
    let value = reader.read_value()?;
    if !reader.at_end() {
        return reader.error("unexpected trailing characters");
    }
    Ok(value)
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Compact JSON text with number tokens verbatim (`{"a":1.50,"b":[true,null]}`); used when a
/// nested value is loaded into a string column.
pub fn render_compact(value: &JsonValue<'_>, out: &mut String) {
    match value {
        JsonValue::Null => out.push_str("null"),
        JsonValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonValue::Number(n) => out.push_str(n),
        JsonValue::String(s) => write_string(s, out),
        JsonValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render_compact(item, out);
            }
            out.push(']');
        }
        JsonValue::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                render_compact(v, out);
            }
            out.push('}');
        }
    }
}

/// The text StarRocks shows for a JSON column value [inf from StarRocks' documented examples]:
/// object keys sorted, `": "` and `", "` separators, integers as written, other numbers as the
/// shortest round-trip double.
pub fn render_canonical(value: &JsonValue<'_>, out: &mut String) {
    match value {
        JsonValue::Null => out.push_str("null"),
        JsonValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonValue::Number(n) => {
            let is_int = !n.contains(['.', 'e', 'E']);
            if is_int && (n.parse::<i64>().is_ok() || n.parse::<u64>().is_ok()) {
                out.push_str(n);
            } else {
                match n.parse::<f64>() {
                    Ok(f) if f.is_finite() => out.push_str(&format_f64(f)),
                    _ => out.push_str(n),
                }
            }
        }
        JsonValue::String(s) => write_string(s, out),
        JsonValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_canonical(item, out);
            }
            out.push(']');
        }
        JsonValue::Object(members) => {
            let mut sorted: Vec<&(Cow<'_, str>, JsonValue<'_>)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(k, out);
                out.push_str(": ");
                render_canonical(v, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_keeps_number_text() {
        let v = parse_single(r#" {"a": 1.50, "b": [true, null, "x\"y\u00e9"], "c": -0.1e+5} "#);
        let v = v.expect("valid json");
        let mut out = String::new();
        render_compact(&v, &mut out);
        assert_eq!(out, r#"{"a":1.50,"b":[true,null,"x\"yé"],"c":-0.1e+5}"#);
        let mut canon = String::new();
        render_canonical(&v, &mut canon);
        assert_eq!(
            canon,
            r#"{"a": 1.5, "b": [true, null, "x\"yé"], "c": -10000}"#
        );
    }

    #[test]
    fn rejects_bad_json() {
        for bad in [
            "{",
            "[1,]",
            "01",
            "1.",
            "\"abc",
            "{\"a\" 1}",
            "tru",
            "[1] x",
            "\"\u{1}\"",
        ] {
            assert!(parse_single(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(1000);
        assert!(parse_single(&deep).is_err());
    }

    /// `skip_value` accepts and rejects exactly what `read_value` does, at the same offsets.
    #[test]
    fn skipping_checks_like_reading() {
        let texts = [
            r#" {"a": 1.50, "b": [true, null, "x\"yé\u00e9"], "c": -0.1e+5} "#,
            r#"[1, {"k": [{}, []]}, "s\\", false]"#,
            "{",
            "[1,]",
            "01",
            "1.",
            "-",
            "\"abc",
            "\"a\\q\"",
            "\"\\u12\"",
            "\"\\ud800\\u0041\"",
            "\"\\udc00\"",
            "{\"a\" 1}",
            "{1:2}",
            "tru",
            "nulll",
            "[1] x",
            "\"\u{1}\"",
            "]",
            "",
        ];
        for text in texts {
            let mut reading = JsonReader::new(text);
            let read = reading.read_value().map(|v| v.kind());
            let mut skipping = JsonReader::new(text);
            let skipped = skipping.skip_value();
            assert_eq!(skipped, read, "{text}");
            assert_eq!(skipping.position(), reading.position(), "{text}");
        }
        let deep = "[".repeat(1000);
        assert_eq!(
            JsonReader::new(&deep).skip_value(),
            JsonReader::new(&deep).read_value().map(|v| v.kind())
        );
    }

    /// A partial reader reports a value cut by the end of its text as incomplete, and otherwise
    /// what a reader of the whole text reports.
    #[test]
    fn partial_readers_wait_for_cut_values() {
        let whole = r#"{"a":[12,true,null,"s\"\u00e9\ud83d\ude00"],"b":-1.5e3}"#;
        for cut in 0..whole.len() {
            let Some(prefix) = whole.get(..cut) else {
                continue;
            };
            let result = JsonReader::partial(prefix, 7, true).skip_value();
            assert!(
                result.as_ref().is_err_and(|e| e.incomplete),
                "{prefix}: {result:?}"
            );
        }
        assert_eq!(
            JsonReader::partial(whole, 7, true).skip_value(),
            Ok(JsonKind::Object)
        );
        let bad = JsonReader::partial(r#"[1,]"#, 7, true).skip_value();
        assert_eq!(bad.map_err(|e| (e.offset, e.incomplete)), Err((10, false)));
        // A number or literal at the end may go on; one followed by anything is complete.
        assert!(JsonReader::partial("12", 0, true).skip_value().is_err());
        assert_eq!(
            JsonReader::partial("12 ", 0, true).skip_value(),
            Ok(JsonKind::Number)
        );
        assert!(JsonReader::partial("fal", 0, true)
            .skip_value()
            .is_err_and(|e| e.incomplete));
        assert!(JsonReader::partial("fax", 0, true)
            .skip_value()
            .is_err_and(|e| !e.incomplete));
    }

    #[test]
    fn plain_runs_end_at_quotes_backslashes_and_control_characters() {
        let naive = |b: &[u8], p: usize| {
            (p..b.len())
                .find(|&i| b[i] == b'"' || b[i] == b'\\' || b[i] < 0x20)
                .unwrap_or(b.len())
        };
        let mut text: Vec<u8> = Vec::new();
        for i in 0..600u32 {
            text.push(match i % 37 {
                0 => b'"',
                5 => b'\\',
                11 => 0x1f,
                17 => 0x80 | (i % 64) as u8,
                23 => 0xff,
                _ => b' ' + (i % 90) as u8,
            });
        }
        for p in 0..text.len() {
            assert_eq!(plain_run_end(&text, p), naive(&text, p), "{p}");
        }
        for byte in 0..=255u8 {
            let mut b = vec![b'a'; 20];
            b[13] = byte;
            assert_eq!(plain_run_end(&b, 0), naive(&b, 0), "{byte}");
        }
    }

    #[test]
    fn surrogate_pairs() {
        let v = parse_single(r#""\ud83d\ude00""#).expect("valid");
        assert_eq!(v, JsonValue::String(Cow::Owned("😀".to_string())));
    }
}
