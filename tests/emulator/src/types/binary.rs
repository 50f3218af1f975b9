//! VARBINARY values: hex text in and out.
//!
//! * A CSV field (any raw text) loaded into a VARBINARY column is hex: `ab` is the byte `0xAB`
//!   (StarRocks docs, BINARY/VARBINARY: "CSV file uses the hex format for binary data"); odd length
//!   or a non-hex digit is a conversion failure. Empty text is the empty binary.
//! * A JSON value is taken as its text's UTF-8 bytes, like VARCHAR [inf: the docs say JSON files
//!   do not support BINARY; StarRocks' JSON reader appends the string as it is].
//! * `hex_decode_binary(str)` (a `columns` derivation): hex text to bytes; an empty binary when the
//!   text is empty, of odd length or not hex (StarRocks docs, hex_decode_binary).
//! * Read back as `0x` followed by upper-case hex (`0xABAB`), what the MySQL client shows with
//!   `--binary-as-hex` and what StarRocks' docs show [emulator choice: the MySQL port sends this
//!   text, not the raw bytes].

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Appends the bytes of hex `text` (either case) to `out`; false (nothing appended) when the
/// length is odd or a character is not a hex digit.
pub fn decode_hex(text: &[u8], out: &mut Vec<u8>) -> bool {
    if !text.len().is_multiple_of(2) {
        return false;
    }
    let start = out.len();
    for pair in text.chunks_exact(2) {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
            _ => {
                out.truncate(start);
                return false;
            }
        }
    }
    true
}

/// `hex_decode_binary(text)`: the decoded bytes, empty when `text` is not valid hex.
pub fn hex_decode_binary(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 2);
    decode_hex(text, &mut out);
    out
}

/// Upper-case hex of `bytes`, appended to `out`.
pub fn encode_hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

/// The text a VARBINARY value reads back as: `0x` and upper-case hex.
pub fn render_binary(bytes: &[u8]) -> String {
    let mut out = String::from("0x");
    encode_hex(bytes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let mut out = Vec::new();
        assert!(decode_hex(b"00aBff", &mut out));
        assert_eq!(out, [0x00, 0xab, 0xff]);
        assert_eq!(render_binary(&out), "0x00ABFF");
        assert!(!decode_hex(b"abc", &mut out));
        assert!(!decode_hex(b"zz", &mut out));
        assert_eq!(out.len(), 3, "nothing appended on failure");
        assert_eq!(render_binary(b""), "0x");
    }

    #[test]
    fn hex_decode_binary_is_empty_for_bad_text() {
        assert_eq!(hex_decode_binary(b"4142"), b"AB");
        assert_eq!(hex_decode_binary(b"414"), b"");
        assert_eq!(hex_decode_binary(b"4G"), b"");
        assert_eq!(hex_decode_binary(b""), b"");
    }
}
