//! ARRAY/MAP/STRUCT values written as text (a CSV field, or a JSON string loaded into a nested
//! column): JSON-like, `[1,2,3]`, `["a","b"]`, `[]`, `{"k":1}`, `{1:"a"}`, `{"a":1,"b":[2]}`.
//! Strings are double-quoted with JSON escapes; anything else is a bare token up to the next `,`,
//! `]`, `}` (and `:` in a key position), trimmed of spaces; a bare `null` (any case) is NULL. So
//! the canonical text the emulator stores and shows parses back to the same value.

use super::node::Node;
use crate::data::json_value::{JsonReader, JsonValue};

/// Nesting deeper than this is rejected instead of risking the stack.
const MAX_DEPTH: usize = 256;

/// Parses one value; the error says what and where (byte offset).
pub fn parse(text: &str) -> Result<Node<'_>, String> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let node = reader.value(&[])?;
    reader.skip_ws();
    if reader.pos != reader.bytes.len() {
        return reader.error("unexpected trailing characters");
    }
    Ok(node)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn error<T>(&self, message: &str) -> Result<T, String> {
        Err(format!("{message} at offset {}", self.pos))
    }

    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error("nesting too deep");
        }
        self.pos += 1;
        Ok(())
    }

    /// A value ending before one of `stops` (or the end of the text).
    fn value(&mut self, stops: &[u8]) -> Result<Node<'a>, String> {
        match self.peek() {
            Some(b'[') => self.list(),
            Some(b'{') => self.entries(),
            _ => self.leaf(stops),
        }
    }

    fn leaf(&mut self, stops: &[u8]) -> Result<Node<'a>, String> {
        if self.peek() == Some(b'"') {
            return self.quoted();
        }
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(|c| !stops.contains(c)) {
            self.pos += 1;
        }
        let token = self.text[start..self.pos].trim_end();
        if token.is_empty() {
            return self.error("expected a value");
        }
        if token.eq_ignore_ascii_case("null") {
            Ok(Node::Null)
        } else {
            Ok(Node::Bare(token))
        }
    }

    fn quoted(&mut self) -> Result<Node<'a>, String> {
        let rest = &self.text[self.pos..];
        let mut reader = JsonReader::new(rest);
        match reader.read_value() {
            Ok(JsonValue::String(s)) => {
                self.pos += reader.position();
                Ok(Node::Str(s))
            }
            _ => self.error("invalid quoted string"),
        }
    }

    fn list(&mut self) -> Result<Node<'a>, String> {
        self.enter()?;
        let mut items = Vec::new();
        if !self.eat(b']') {
            loop {
                items.push(self.value(b",]")?);
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b']') {
                    break;
                }
                return self.error("expected ',' or ']'");
            }
        }
        self.depth -= 1;
        Ok(Node::List(items))
    }

    fn entries(&mut self) -> Result<Node<'a>, String> {
        self.enter()?;
        let mut entries = Vec::new();
        if !self.eat(b'}') {
            loop {
                let key = self.leaf(b":,}")?;
                if !self.eat(b':') {
                    return self.error("expected ':'");
                }
                let value = self.value(b",}")?;
                entries.push((key, value));
                if self.eat(b',') {
                    continue;
                }
                if self.eat(b'}') {
                    break;
                }
                return self.error("expected ',' or '}'");
            }
        }
        self.depth -= 1;
        Ok(Node::Entries(entries))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn s(text: &str) -> Node<'_> {
        Node::Str(Cow::Borrowed(text))
    }

    #[test]
    fn reads_json_like_text() {
        assert_eq!(parse(" [ ] "), Ok(Node::List(vec![])));
        assert_eq!(
            parse(r#"[1, "a\"b", null, NULL, 2024-01-02 03:04:05]"#),
            Ok(Node::List(vec![
                Node::Bare("1"),
                Node::Str(Cow::Owned("a\"b".into())),
                Node::Null,
                Node::Null,
                Node::Bare("2024-01-02 03:04:05"),
            ]))
        );
        assert_eq!(
            parse(r#"{1:"a", "k" : [2], null:{}}"#),
            Ok(Node::Entries(vec![
                (Node::Bare("1"), s("a")),
                (s("k"), Node::List(vec![Node::Bare("2")])),
                (Node::Null, Node::Entries(vec![])),
            ]))
        );
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "", "[", "[1,", "[1,,2]", "[1 2", "{1}", "{1:}", "{:1}", "[1]]", "\"abc", "[\"a]",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse(&"[".repeat(300)).unwrap_err().contains("too deep"));
    }
}
