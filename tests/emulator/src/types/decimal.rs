//! Exact DECIMAL(p,s) arithmetic on unscaled `i128` values: parsing decimal text (plain or with an
//! exponent, as JSON number tokens may be) without any floating-point round trip, rounding half
//! away from zero to the column scale, precision checks, and rendering with exactly `scale` digits.

/// Largest magnitude (exclusive) of an unscaled value with `digits` digits, i.e. 10^digits.
pub fn pow10(digits: u32) -> Option<i128> {
    10i128.checked_pow(digits)
}

/// Parses `[+-]digits[.digits][e[+-]digits]` into an unscaled value at `scale`, checking that the
/// result fits `precision` digits. Surrounding ASCII whitespace is ignored.
pub fn parse_decimal(input: &[u8], precision: u8, scale: u8) -> Option<i128> {
    let s = input.trim_ascii();
    let (negative, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    // Split mantissa / exponent.
    let (mantissa, exponent) = match s.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => {
            let exp_text = std::str::from_utf8(&s[i + 1..]).ok()?;
            if exp_text.is_empty() {
                return None;
            }
            let exp: i64 = exp_text.parse().ok()?;
            (&s[..i], exp)
        }
        None => (s, 0),
    };
    let (int_part, frac_part) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &[][..]),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.iter().all(u8::is_ascii_digit) || !frac_part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // All significant digits, and the position of the decimal point after applying the exponent:
    // value = digits * 10^(point_shift) where point_shift = exponent - frac_len.
    let total = int_part.len() + frac_part.len();
    let digit_at = |i: usize| {
        if i < int_part.len() {
            int_part[i]
        } else {
            frac_part[i - int_part.len()]
        }
    };
    let shift = exponent.checked_sub(frac_part.len() as i64)?;
    // We want unscaled = value * 10^scale = digits * 10^(shift + scale).
    let target_shift = shift.checked_add(i64::from(scale))?;
    let limit = pow10(u32::from(precision))?;
    let mut unscaled: i128 = 0;
    // Digits kept: those whose weight 10^(pos + target_shift) >= 1.
    let keep = if target_shift >= 0 {
        total
    } else {
        let drop = usize::try_from(-target_shift).unwrap_or(usize::MAX);
        total.saturating_sub(drop)
    };
    for i in 0..keep {
        unscaled = unscaled
            .checked_mul(10)?
            .checked_add(i128::from(digit_at(i) - b'0'))?;
        if unscaled >= limit {
            // Already too many digits, no later digit can bring it back.
            return None;
        }
    }
    if target_shift > 0 {
        if unscaled != 0 {
            let factor = pow10(u32::try_from(target_shift).ok()?)?;
            unscaled = unscaled.checked_mul(factor)?;
        }
    } else if keep < total {
        // Round half away from zero on the first dropped digit.
        if digit_at(keep) >= b'5' {
            unscaled = unscaled.checked_add(1)?;
        }
    }
    if unscaled >= limit {
        return None;
    }
    Some(if negative { -unscaled } else { unscaled })
}

/// Renders an unscaled value with exactly `scale` fractional digits: `12.50`, `-0.05`, `7`.
pub fn render_decimal(unscaled: i128, scale: u8, out: &mut String) {
    let negative = unscaled < 0;
    let magnitude = unscaled.unsigned_abs().to_string();
    if negative {
        out.push('-');
    }
    let scale = usize::from(scale);
    if scale == 0 {
        out.push_str(&magnitude);
        return;
    }
    if magnitude.len() <= scale {
        out.push_str("0.");
        for _ in magnitude.len()..scale {
            out.push('0');
        }
        out.push_str(&magnitude);
    } else {
        let (int, frac) = magnitude.split_at(magnitude.len() - scale);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str, p: u8, sc: u8) -> Option<String> {
        parse_decimal(s.as_bytes(), p, sc).map(|v| {
            let mut out = String::new();
            render_decimal(v, sc, &mut out);
            out
        })
    }

    #[test]
    fn parses_and_renders_exactly() {
        assert_eq!(dec("12.5", 10, 2).as_deref(), Some("12.50"));
        assert_eq!(dec("-0.05", 10, 2).as_deref(), Some("-0.05"));
        assert_eq!(dec("7", 10, 0).as_deref(), Some("7"));
        assert_eq!(dec(".5", 10, 1).as_deref(), Some("0.5"));
        assert_eq!(dec("5.", 10, 1).as_deref(), Some("5.0"));
        assert_eq!(dec("1.005", 10, 2).as_deref(), Some("1.01"));
        assert_eq!(dec("1.004", 10, 2).as_deref(), Some("1.00"));
        assert_eq!(dec("-1.005", 10, 2).as_deref(), Some("-1.01"));
        assert_eq!(dec("1.5e2", 10, 2).as_deref(), Some("150.00"));
        assert_eq!(dec("15E-1", 10, 2).as_deref(), Some("1.50"));
        assert_eq!(dec("99999999.99", 10, 2).as_deref(), Some("99999999.99"));
        assert_eq!(dec("100000000", 10, 2), None);
        assert_eq!(dec("99999999.995", 10, 2), None);
        assert_eq!(
            dec("12345678901234567890123456789012345678", 38, 0).as_deref(),
            Some("12345678901234567890123456789012345678")
        );
        assert_eq!(
            dec("0.12345678901234567890123456789012345678", 38, 38).as_deref(),
            Some("0.12345678901234567890123456789012345678")
        );
        assert_eq!(dec("1e400", 38, 0), None);
        assert_eq!(dec("1e-400", 38, 2).as_deref(), Some("0.00"));
        assert_eq!(dec("abc", 10, 2), None);
        assert_eq!(dec("", 10, 2), None);
        assert_eq!(dec("1.2.3", 10, 2), None);
        assert_eq!(dec(" 3.25 ", 10, 2).as_deref(), Some("3.25"));
    }
}
