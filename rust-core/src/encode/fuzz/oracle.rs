//! What the CSV and JSON encoders must write for a value, computed independently of them: the
//! text of scalars (calendar by counting days, decimals with `i128`), and the JSON value a row
//! parses back to.

use super::model::Model;

/// The text form of a scalar, as both body formats carry it.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Exact(String),
    /// Any text that parses back to this value.
    F32(f32),
    F64(f64),
    /// The value has no text form.
    Refused,
}

/// `YYYY-MM-DD` of days since 1970-01-01, within the years 0000 to 9999.
fn date(days: i64) -> Option<String> {
    // 0000-01-01 and 9999-12-31.
    if !(-719_528..=2_932_896).contains(&days) {
        return None;
    }
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let year_days = |y: i64| if leap(y) { 366 } else { 365 };
    let (mut year, mut rest) = (1970i64, days);
    while rest < 0 {
        year -= 1;
        rest += year_days(year);
    }
    while rest >= year_days(year) {
        rest -= year_days(year);
        year += 1;
    }
    let months = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while rest >= months[month] {
        rest -= months[month];
        month += 1;
    }
    Some(format!("{year:04}-{:02}-{:02}", month + 1, rest + 1))
}

fn clock(seconds_of_day: i64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds_of_day / 3600,
        seconds_of_day / 60 % 60,
        seconds_of_day % 60
    )
}

/// `unscaled * 10^-scale` in plain notation.
fn decimal(unscaled: i128, scale: u8) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    let scale = scale as usize;
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// Big-endian two's complement bytes as an i128, if they fit.
fn big_integer(bytes: &[u8]) -> Option<i128> {
    let negative = bytes.first()? & 0x80 != 0;
    bytes
        .iter()
        .try_fold(if negative { -1i128 } else { 0 }, |acc, b| {
            acc.checked_mul(256)?.checked_add(i128::from(*b))
        })
}

/// The text of a scalar (not of NULL, STRING, ARRAY, MAP or ROW values).
pub fn scalar_text(m: &Model) -> Text {
    let exact = |s: String| Text::Exact(s);
    match m {
        Model::Boolean(b) => exact(if *b { "1" } else { "0" }.to_string()),
        Model::TinyInt(x) => exact(x.to_string()),
        Model::SmallInt(x) => exact(x.to_string()),
        Model::Int(x) => exact(x.to_string()),
        Model::BigInt(x) => exact(x.to_string()),
        Model::Float(bits) => match f32::from_bits(*bits) {
            f if f.is_finite() => Text::F32(f),
            _ => Text::Refused,
        },
        Model::Double(bits) => match f64::from_bits(*bits) {
            f if f.is_finite() => Text::F64(f),
            _ => Text::Refused,
        },
        Model::Decimal64(u, s) => exact(decimal(i128::from(*u), *s)),
        Model::DecimalBig(b, s) => big_integer(b).map_or(Text::Refused, |u| exact(decimal(u, *s))),
        Model::Date(d) => date(i64::from(*d)).map_or(Text::Refused, exact),
        Model::Timestamp {
            precision,
            epoch_millis,
            nano_of_milli,
        } => {
            let seconds = epoch_millis.div_euclid(1000);
            let Some(day) = date(seconds.div_euclid(86_400)) else {
                return Text::Refused;
            };
            let micros = epoch_millis.rem_euclid(1000) * 1000 + i64::from(*nano_of_milli) / 1000;
            let fraction = format!("{micros:06}");
            let digits = (*precision).min(6) as usize;
            let mut s = format!("{day} {}", clock(seconds.rem_euclid(86_400)));
            if digits > 0 {
                s.push('.');
                s.push_str(&fraction[..digits]);
            }
            exact(s)
        }
        Model::Time {
            precision,
            millis_of_day,
        } => {
            let millis = i64::from(*millis_of_day);
            let mut s = clock(millis / 1000);
            let digits = (*precision).min(3) as usize;
            if digits > 0 {
                s.push('.');
                s.push_str(&format!("{:03}", millis % 1000)[..digits]);
            }
            exact(s)
        }
        Model::Binary(b) => exact(b.iter().map(|x| format!("{x:02x}")).collect()),
        Model::Null | Model::String(_) | Model::Array(_) | Model::Map(_) | Model::Row(_) => {
            unreachable!("not a scalar: {m:?}")
        }
    }
}

/// Whether `text` is a form of `expected`.
pub fn text_matches(expected: &Text, text: &str) -> bool {
    match expected {
        Text::Exact(s) => s == text,
        Text::F32(f) => text.parse::<f32>() == Ok(*f),
        Text::F64(f) => text.parse::<f64>() == Ok(*f),
        Text::Refused => false,
    }
}

/// The JSON value a field must parse back to; numbers keep what JSON parsing can tell apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    F32(f32),
    /// Compared with a tolerance of a few units in the last place: serde_json's default float
    /// parsing is not always correctly rounded. Exact decimal digits are checked in CSV.
    F64(f64),
    Str(String),
    Arr(Vec<Json>),
    /// Later duplicate keys replace earlier ones, as in serde_json.
    Obj(Vec<(String, Json)>),
    /// The text of a JSON column, parsed.
    Parsed(serde_json::Value),
}

/// Why a value cannot be loaded.
pub type Refused = ();

fn text_json(m: &Model) -> Result<Json, Refused> {
    Ok(match scalar_text(m) {
        Text::Exact(s) => Json::Str(s),
        _ => return Err(()),
    })
}

fn utf8(bytes: &[u8]) -> Result<String, Refused> {
    String::from_utf8(bytes.to_vec()).map_err(|_| ())
}

/// A value inside an ARRAY, MAP or ROW (and any non-BOOLEAN top-level value).
pub fn nested_json(m: &Model) -> Result<Json, Refused> {
    Ok(match m {
        Model::Null => Json::Null,
        Model::Boolean(b) => Json::Bool(*b),
        Model::TinyInt(x) => Json::Int(i64::from(*x)),
        Model::SmallInt(x) => Json::Int(i64::from(*x)),
        Model::Int(x) => Json::Int(i64::from(*x)),
        Model::BigInt(x) => Json::Int(*x),
        Model::Float(_) | Model::Double(_) | Model::Decimal64(..) | Model::DecimalBig(..) => {
            match scalar_text(m) {
                Text::F32(f) => Json::F32(f),
                Text::F64(f) => Json::F64(f),
                Text::Exact(s) => Json::F64(s.parse().expect("decimal text")),
                Text::Refused => return Err(()),
            }
        }
        Model::String(s) => Json::Str(utf8(s)?),
        Model::Date(_) | Model::Timestamp { .. } | Model::Time { .. } | Model::Binary(_) => {
            text_json(m)?
        }
        Model::Array(items) => Json::Arr(items.iter().map(nested_json).collect::<Result<_, _>>()?),
        Model::Map(entries) => Json::Obj(
            entries
                .iter()
                .map(|(k, v)| Ok((map_key(k)?, nested_json(v)?)))
                .collect::<Result<_, _>>()?,
        ),
        Model::Row(fields) => Json::Obj(
            fields
                .iter()
                .map(|(name, v)| Ok((name.clone(), nested_json(v)?)))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// A MAP key: the text of a scalar key.
fn map_key(m: &Model) -> Result<String, Refused> {
    match m {
        Model::Null | Model::Array(_) | Model::Map(_) | Model::Row(_) => Err(()),
        Model::String(s) => utf8(s),
        _ => match scalar_text(m) {
            Text::Exact(s) => Ok(s),
            // The shortest text of a float: any text parses back, take the standard one.
            Text::F32(f) => Ok(ryu::Buffer::new().format_finite(f).to_string()),
            Text::F64(f) => Ok(ryu::Buffer::new().format_finite(f).to_string()),
            Text::Refused => Err(()),
        },
    }
}

/// The text of a JSON column: parses as one JSON value (strict: UTF-8, paired surrogates).
pub fn json_column(s: &[u8]) -> Result<serde_json::Value, Refused> {
    serde_json::from_slice(s).map_err(|_| ())
}

/// A top-level field of a JSON row: BOOLEAN as 1/0, the text of a JSON column as JSON.
pub fn top_json(m: &Model, json_column_mode: bool) -> Result<Json, Refused> {
    match m {
        Model::Boolean(b) => Ok(Json::Int(i64::from(*b))),
        Model::String(s) if json_column_mode => json_column(s).map(Json::Parsed),
        _ => nested_json(m),
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= (a.abs().max(b.abs()) * 8.0 * f64::EPSILON).max(1e-300)
}

/// Whether `actual` (parsed with serde_json) is `expected`.
pub fn json_matches(expected: &Json, actual: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (expected, actual) {
        (Json::Null, V::Null) => true,
        (Json::Bool(a), V::Bool(b)) => a == b,
        (Json::Int(a), V::Number(n)) => n.as_i64() == Some(*a),
        (Json::F32(a), V::Number(n)) => n.as_f64().is_some_and(|b| b as f32 == *a),
        (Json::F64(a), V::Number(n)) => n.as_f64().is_some_and(|b| close(*a, b)),
        (Json::Str(a), V::String(b)) => a == b,
        (Json::Arr(a), V::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| json_matches(x, y))
        }
        (Json::Obj(a), V::Object(b)) => {
            let mut last: Vec<(&String, &Json)> = Vec::new();
            for (k, v) in a {
                match last.iter_mut().find(|(key, _)| *key == k) {
                    Some(slot) => slot.1 = v,
                    None => last.push((k, v)),
                }
            }
            last.len() == b.len()
                && last
                    .iter()
                    .all(|(k, v)| b.get(k.as_str()).is_some_and(|x| json_matches(v, x)))
        }
        (Json::Parsed(a), b) => a == b,
        _ => false,
    }
}
