//! The binary protocol of server-side prepared statements: decoding `COM_STMT_EXECUTE`
//! parameters into SQL literals (the statement text is then run like any other query) and
//! encoding result rows in binary form. A column whose values do not all parse in their type's
//! binary form (which the emulator's own canonical text always does) is announced and sent as
//! a string instead, so a row is never half-encoded.

use super::codec::{put_lenenc_bytes, Malformed, Reader};
use super::packet::PacketIo;
use super::response::{eof_packet, write_header};
use super::wire_type::*;
use crate::sql::QueryResult;

/// A quoted SQL string literal with `'` and `\` escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

fn date_time_literal(r: &mut Reader<'_>, time_only: bool) -> Result<String, Malformed> {
    let len = r.u8("temporal length")?;
    let body = r.bytes(usize::from(len), "temporal value")?;
    let mut b = Reader::new(body);
    if time_only {
        if len == 0 {
            return Ok(quote("00:00:00"));
        }
        let negative = b.u8("time sign")? == 1;
        let days = b.u32("time days")?;
        let (h, m, s) = (b.u8("hour")?, b.u8("minute")?, b.u8("second")?);
        let micros = if len >= 12 { b.u32("micros")? } else { 0 };
        let hours = u64::from(days) * 24 + u64::from(h);
        let sign = if negative { "-" } else { "" };
        let frac = if micros > 0 {
            format!(".{micros:06}")
        } else {
            String::new()
        };
        return Ok(quote(&format!("{sign}{hours:02}:{m:02}:{s:02}{frac}")));
    }
    let (year, month, day) = if len >= 4 {
        (b.u16("year")?, b.u8("month")?, b.u8("day")?)
    } else {
        (0, 0, 0)
    };
    let (h, m, s) = if len >= 7 {
        (b.u8("hour")?, b.u8("minute")?, b.u8("second")?)
    } else {
        (0, 0, 0)
    };
    let micros = if len >= 11 { b.u32("micros")? } else { 0 };
    let mut text = format!("{year:04}-{month:02}-{day:02}");
    if len >= 7 {
        text.push_str(&format!(" {h:02}:{m:02}:{s:02}"));
        if micros > 0 {
            text.push_str(&format!(".{micros:06}"));
        }
    }
    Ok(quote(&text))
}

/// One parameter value as SQL text. `unsigned` is the type's unsigned flag.
pub fn param_literal(
    r: &mut Reader<'_>,
    field_type: u8,
    unsigned: bool,
) -> Result<String, Malformed> {
    Ok(match field_type {
        TYPE_NULL => "NULL".to_string(),
        TYPE_TINY => {
            let v = r.u8("tiny")?;
            if unsigned {
                v.to_string()
            } else {
                (v as i8).to_string()
            }
        }
        TYPE_SHORT | TYPE_YEAR => {
            let v = r.u16("short")?;
            if unsigned {
                v.to_string()
            } else {
                (v as i16).to_string()
            }
        }
        TYPE_LONG | TYPE_INT24 => {
            let v = r.u32("long")?;
            if unsigned {
                v.to_string()
            } else {
                (v as i32).to_string()
            }
        }
        TYPE_LONGLONG => {
            let v = r.u64("longlong")?;
            if unsigned {
                v.to_string()
            } else {
                (v as i64).to_string()
            }
        }
        TYPE_FLOAT => {
            let v = f32::from_bits(r.u32("float")?);
            if !v.is_finite() {
                return Err(Malformed("float parameter is not finite"));
            }
            format!("{v:?}")
        }
        TYPE_DOUBLE => {
            let v = f64::from_bits(r.u64("double")?);
            if !v.is_finite() {
                return Err(Malformed("double parameter is not finite"));
            }
            format!("{v:?}")
        }
        TYPE_DATE | TYPE_DATETIME | TYPE_TIMESTAMP => date_time_literal(r, false)?,
        TYPE_TIME => date_time_literal(r, true)?,
        // Strings, decimals, blobs, JSON, BIT, ENUM, SET, ...
        _ => {
            let bytes = r.lenenc_bytes("string parameter")?;
            let text =
                std::str::from_utf8(bytes).map_err(|_| Malformed("parameter is not UTF-8"))?;
            if matches!(field_type, TYPE_DECIMAL | TYPE_NEWDECIMAL) && is_number(text) {
                text.to_string()
            } else {
                quote(text)
            }
        }
    })
}

fn is_number(text: &str) -> bool {
    let t = text.strip_prefix('-').unwrap_or(text);
    !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().filter(|b| *b == b'.').count() <= 1
        && t.bytes().any(|b| b.is_ascii_digit())
}

/// A value in binary form, or `None` when the text does not parse for that wire type.
fn encode(field_type: u8, text: &str, out: &mut Vec<u8>) -> Option<()> {
    match field_type {
        TYPE_TINY => out.push(text.parse::<i8>().ok()? as u8),
        TYPE_SHORT => out.extend_from_slice(&text.parse::<i16>().ok()?.to_le_bytes()),
        TYPE_LONG => out.extend_from_slice(&text.parse::<i32>().ok()?.to_le_bytes()),
        TYPE_LONGLONG => out.extend_from_slice(&text.parse::<i64>().ok()?.to_le_bytes()),
        TYPE_FLOAT => out.extend_from_slice(&text.parse::<f32>().ok()?.to_le_bytes()),
        TYPE_DOUBLE => out.extend_from_slice(&text.parse::<f64>().ok()?.to_le_bytes()),
        TYPE_DATE | TYPE_DATETIME => encode_datetime(text, out)?,
        _ => put_lenenc_bytes(out, text.as_bytes()),
    }
    Some(())
}

/// `YYYY-MM-DD[ HH:MM:SS[.ffffff]]` as a binary DATE/DATETIME.
fn encode_datetime(text: &str, out: &mut Vec<u8>) -> Option<()> {
    let (date, time) = match text.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut d = date.splitn(3, '-');
    let year: u16 = d.next()?.parse().ok()?;
    let month: u8 = d.next()?.parse().ok()?;
    let day: u8 = d.next()?.parse().ok()?;
    let Some(time) = time else {
        out.push(4);
        out.extend_from_slice(&year.to_le_bytes());
        out.extend_from_slice(&[month, day]);
        return Some(());
    };
    let (hms, frac) = match time.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (time, None),
    };
    let mut t = hms.splitn(3, ':');
    let h: u8 = t.next()?.parse().ok()?;
    let m: u8 = t.next()?.parse().ok()?;
    let s: u8 = t.next()?.parse().ok()?;
    let micros: u32 = match frac {
        Some(f) if f.len() <= 6 => format!("{f:0<6}").parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    out.push(if micros > 0 { 11 } else { 7 });
    out.extend_from_slice(&year.to_le_bytes());
    out.extend_from_slice(&[month, day, h, m, s]);
    if micros > 0 {
        out.extend_from_slice(&micros.to_le_bytes());
    }
    Some(())
}

/// Sends a binary-protocol result set.
pub async fn write_binary_result(io: &mut PacketIo, result: &QueryResult) -> std::io::Result<()> {
    // Pick each column's wire type, falling back to text when a value does not encode.
    let mut wires: Vec<WireType> = result.columns.iter().map(|c| wire_type(&c.ty)).collect();
    let mut scratch = Vec::new();
    for (i, wire) in wires.iter_mut().enumerate() {
        let encodes = result.rows.iter().all(|row| match row.get(i) {
            Some(Some(v)) => {
                scratch.clear();
                encode(wire.field_type, v, &mut scratch).is_some()
            }
            _ => true,
        });
        if !encodes {
            *wire = WireType::TEXT;
        }
    }
    write_header(io, result, &wires);
    let bitmap_len = (result.columns.len() + 7 + 2) / 8;
    for row in &result.rows {
        let mut p = vec![0x00];
        let bitmap_at = p.len();
        p.resize(bitmap_at + bitmap_len, 0);
        for (i, wire) in wires.iter().enumerate() {
            match row.get(i).and_then(|v| v.as_deref()) {
                None => {
                    let bit = i + 2;
                    p[bitmap_at + bit / 8] |= 1 << (bit % 8);
                }
                Some(v) => {
                    if encode(wire.field_type, v, &mut p).is_none() {
                        // Unreachable: every value was checked above.
                        put_lenenc_bytes(&mut p, v.as_bytes());
                    }
                }
            }
        }
        io.write(&p);
        if io.pending() >= 1 << 20 {
            io.flush().await?;
        }
    }
    io.write(&eof_packet());
    io.flush().await
}

/// The `COM_STMT_PREPARE_OK` answer and its parameter definitions.
pub fn prepare_ok(statement_id: u32, params: u16) -> Vec<Vec<u8>> {
    let mut head = vec![0x00];
    head.extend_from_slice(&statement_id.to_le_bytes());
    head.extend_from_slice(&0u16.to_le_bytes()); // columns: announced at execute time
    head.extend_from_slice(&params.to_le_bytes());
    head.push(0);
    head.extend_from_slice(&0u16.to_le_bytes()); // warnings
    let mut packets = vec![head];
    if params > 0 {
        for _ in 0..params {
            packets.push(super::response::column_definition(
                "?",
                WireType::TEXT,
                None,
            ));
        }
        packets.push(eof_packet());
    }
    packets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mysql::codec::put_lenenc_int;

    fn lenenc(n: u64) -> Vec<u8> {
        let mut v = Vec::new();
        put_lenenc_int(&mut v, n);
        v
    }

    #[test]
    fn decodes_parameters_to_literals() {
        let mut r = Reader::new(&[0xFE]);
        assert_eq!(param_literal(&mut r, TYPE_TINY, false), Ok("-2".into()));
        let bytes = (-5i64).to_le_bytes();
        assert_eq!(
            param_literal(&mut Reader::new(&bytes), TYPE_LONGLONG, false),
            Ok("-5".into())
        );
        let mut s = lenenc(4);
        s.extend_from_slice(b"it's");
        assert_eq!(
            param_literal(&mut Reader::new(&s), TYPE_VAR_STRING, false),
            Ok("'it\\'s'".into())
        );
        let dt = [7u8, 0xE8, 0x07, 2, 29, 13, 5, 9];
        assert_eq!(
            param_literal(&mut Reader::new(&dt), TYPE_DATETIME, false),
            Ok("'2024-02-29 13:05:09'".into())
        );
        assert!(param_literal(&mut Reader::new(&[1]), TYPE_LONG, false).is_err());
        assert!(param_literal(&mut Reader::new(&[9, 1]), TYPE_DATETIME, false).is_err());
    }

    #[test]
    fn encodes_temporal_values() {
        let mut out = Vec::new();
        encode_datetime("2024-02-29 13:05:09.5", &mut out).expect("valid");
        assert_eq!(out, [11, 0xE8, 0x07, 2, 29, 13, 5, 9, 0x20, 0xA1, 0x07, 0]);
        out.clear();
        encode_datetime("2024-02-29", &mut out).expect("valid");
        assert_eq!(out, [4, 0xE8, 0x07, 2, 29]);
        assert!(encode_datetime("yesterday", &mut Vec::new()).is_none());
    }
}
