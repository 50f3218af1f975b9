//! Canonical text of FLOAT and DOUBLE values: the shortest digit string that round-trips to the
//! same value (Rust's shortest formatting), laid out like C's `%g`: plain notation when the decimal
//! exponent is in [-5, 16), otherwise `d.ddde+XX` with at least two exponent digits. No trailing
//! `.0` (`1`, `0.5`, `1e+20`, `1.5e-07`). This layout is the emulator's choice [inf]; the digits are
//! what matters for tests.

/// Formats a finite `f64` (DOUBLE).
pub fn format_f64(v: f64) -> String {
    layout(&format!("{v:e}"))
}

/// Formats a finite `f32` (FLOAT) with the shortest digits that round-trip as `f32`.
pub fn format_f32(v: f32) -> String {
    layout(&format!("{v:e}"))
}

/// Takes Rust's `{:e}` output (`-1.2345e-7`, `1e20`, `0e0`) and lays it out.
fn layout(sci: &str) -> String {
    let (negative, body) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci),
    };
    let (mantissa, exp) = match body.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (body, 0),
    };
    if mantissa == "inf" || mantissa == "NaN" {
        return sci.to_string();
    }
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if digits == "0" {
        out.push('0');
        return out;
    }
    if (-5..16).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                for _ in digits.len()..int_len {
                    out.push('0');
                }
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_round_trip() {
        assert_eq!(format_f64(1.0), "1");
        assert_eq!(format_f64(0.5), "0.5");
        assert_eq!(format_f64(-2.25), "-2.25");
        assert_eq!(format_f64(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_f64(1e20), "1e+20");
        assert_eq!(format_f64(1.5e-7), "1.5e-07");
        assert_eq!(format_f64(123456.0), "123456");
        assert_eq!(format_f64(0.0001), "0.0001");
        assert_eq!(format_f64(0.0), "0");
        assert_eq!(format_f64(-0.0), "-0");
        assert_eq!(format_f64(1e15), "1000000000000000");
        assert_eq!(format_f64(1e16), "1e+16");
        assert_eq!(format_f32(0.1), "0.1");
        assert_eq!(format_f32(3.4028235e38), "3.4028235e+38");
        assert_eq!(format_f32(1.1), "1.1");
    }
}
