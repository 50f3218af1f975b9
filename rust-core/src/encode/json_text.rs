//! The strings of JSON columns, which travel as JSON text: checked to be one JSON value in UTF-8
//! whose `\u` escapes are characters (a lone surrogate is none, and JSON parsers such as
//! StarRocks' refuse it), without building the value.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::text::{utf8, TextError};

/// The JSON text of a JSON column's string, checked and trimmed.
pub fn checked(s: &[u8]) -> Result<&[u8], TextError> {
    // Strings read as strings (not skipped) so that their escapes are decoded and checked.
    serde_json::from_str::<Checked>(utf8(s)?)
        .map_err(|e| format!("the value is not valid JSON for a JSON column ({e})"))?;
    Ok(s.trim_ascii())
}

/// Any JSON value, read and dropped.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Checked, D::Error> {
        d.deserialize_any(Checked)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Checked, A::Error> {
        while items.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Checked, A::Error> {
        while entries.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_texts_are_trimmed() {
        assert_eq!(
            checked(b" {\"a\": [1, 2.5, null, true, \"\\u00e9\"]} ").unwrap(),
            b"{\"a\": [1, 2.5, null, true, \"\\u00e9\"]}"
        );
        assert_eq!(
            checked(b"\"\\ud83d\\ude00\"").unwrap(),
            b"\"\\ud83d\\ude00\""
        );
        assert!(checked(b"{\"a\":}").is_err());
        assert!(checked(b"1 2").is_err());
    }

    /// Found by the encoder fuzzer: serde_json skips strings it ignores without decoding them,
    /// so invalid UTF-8 inside a string went into JSON bodies as it was.
    #[test]
    fn invalid_utf8_inside_a_json_string_is_refused() {
        let e = checked(b"\"\x80\"").unwrap_err();
        assert!(e.contains("not valid UTF-8"), "{e}");
    }

    /// Found by the encoder fuzzer: a lone surrogate escape is no character.
    #[test]
    fn a_lone_surrogate_escape_is_refused() {
        for text in [&b"\"\\ud800\""[..], b"[\"\\udc00\"]", b"{\"\\ud800\": 1}"] {
            let e = checked(text).unwrap_err();
            assert!(e.contains("not valid JSON"), "{e}");
        }
    }
}
