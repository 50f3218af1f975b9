//! Tokenizer for the SQL subset: words (keywords and bare identifiers), back-quoted identifiers,
//! string literals in single or double quotes (StarRocks, like MySQL's default mode, takes both;
//! backslash escapes and doubled quotes), numbers, `?` placeholders, `@@` system and `@` user
//! variables, and punctuation. Comments (`-- `, `#`, `/* */`, including MySQL's `/*! */` forms
//! that drivers prepend) are skipped. Every token keeps its byte span so callers can name result
//! columns after the source text and substitute prepared-statement parameters.

use super::error::SqlError;

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A keyword or bare identifier, as written.
    Word(String),
    /// A back-quoted identifier, unquoted.
    Quoted(String),
    /// A string literal, unescaped.
    Str(String),
    /// A numeric literal, as written.
    Number(String),
    /// A `?` placeholder.
    Param,
    /// `@@name`, `@@session.name`, `@@global.name` (the scope prefix is dropped).
    SysVar(String),
    /// `@name`.
    UserVar(String),
    /// Punctuation and operators: `( ) , . ; = < > <= >= <> != * + - / %` and `:=`.
    Symbol(&'static str),
}

/// A token and where it is in the statement text (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

const SYMBOLS: [&str; 19] = [
    "<=", ">=", "<>", "!=", ":=", "(", ")", ",", ".", ";", "=", "<", ">", "*", "+", "-", "/", "%",
    "<=>",
];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Splits a statement into tokens.
pub fn tokenize(sql: &str) -> Result<Vec<Spanned>, SqlError> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if b == b'#' || (b == b'-' && bytes.get(i + 1) == Some(&b'-') && is_comment_dash(bytes, i))
        {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            match find(bytes, i + 2, b"*/") {
                Some(end) => i = end + 2,
                None => return Err(SqlError::syntax("unterminated comment")),
            }
            continue;
        }
        let token = match b {
            b'\'' | b'"' => {
                let (text, next) = quoted(sql, i, b)?;
                i = next;
                Token::Str(text)
            }
            b'`' => {
                let (text, next) = backquoted(sql, i)?;
                i = next;
                Token::Quoted(text)
            }
            b'?' => {
                i += 1;
                Token::Param
            }
            b'@' => {
                let system = bytes.get(i + 1) == Some(&b'@');
                i += if system { 2 } else { 1 };
                let name_start = i;
                while i < bytes.len() && (is_word_byte(bytes[i]) || bytes[i] == b'.') {
                    i += 1;
                }
                if i == name_start {
                    return Err(SqlError::syntax("a variable name is missing after '@'"));
                }
                let name = &sql[name_start..i];
                if system {
                    Token::SysVar(strip_scope(name).to_ascii_lowercase())
                } else {
                    Token::UserVar(name.to_string())
                }
            }
            b'0'..=b'9' => {
                i = number_end(bytes, i);
                Token::Number(sql[start..i].to_string())
            }
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && !matches!(
                    out.last(),
                    Some(Spanned {
                        token: Token::Word(_) | Token::Quoted(_),
                        ..
                    })
                ) =>
            {
                i = number_end(bytes, i);
                Token::Number(sql[start..i].to_string())
            }
            _ if is_word_byte(b) => {
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    i += 1;
                }
                Token::Word(sql[start..i].to_string())
            }
            _ => {
                let symbol = SYMBOLS
                    .iter()
                    .filter(|s| bytes[i..].starts_with(s.as_bytes()))
                    .max_by_key(|s| s.len());
                match symbol {
                    Some(s) => {
                        i += s.len();
                        Token::Symbol(s)
                    }
                    None => {
                        let ch = sql[i..].chars().next().unwrap_or('?');
                        return Err(SqlError::syntax(format!(
                            "unexpected character '{ch}' at position {i}"
                        )));
                    }
                }
            }
        };
        out.push(Spanned {
            token,
            start,
            end: i,
        });
    }
    Ok(out)
}

/// `--` starts a comment only when followed by whitespace or the end (MySQL's rule).
fn is_comment_dash(bytes: &[u8], i: usize) -> bool {
    matches!(
        bytes.get(i + 2),
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
    )
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn strip_scope(name: &str) -> &str {
    for scope in ["session.", "global.", "local."] {
        if name.len() > scope.len() && name[..scope.len()].eq_ignore_ascii_case(scope) {
            return &name[scope.len()..];
        }
    }
    name
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i
}

/// A quoted string starting at `start` (the quote); returns the unescaped text and the index
/// after the closing quote.
fn quoted(sql: &str, start: usize, quote: u8) -> Result<(String, usize), SqlError> {
    let bytes = sql.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = start + 1;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(SqlError::syntax("unterminated string literal"));
        };
        if b == quote {
            if bytes.get(i + 1) == Some(&quote) {
                out.push(quote);
                i += 2;
                continue;
            }
            i += 1;
            break;
        }
        if b == b'\\' {
            let Some(&next) = bytes.get(i + 1) else {
                return Err(SqlError::syntax("unterminated string literal"));
            };
            match next {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'0' => out.push(0),
                b'b' => out.push(8),
                b'Z' => out.push(26),
                // LIKE wildcards keep their backslash (MySQL's rule).
                b'%' | b'_' => out.extend_from_slice(&[b'\\', next]),
                other => out.push(other),
            }
            i += 2;
            continue;
        }
        out.push(b);
        i += 1;
    }
    // Only whole UTF-8 sequences were copied (escapes are ASCII), so this cannot fail on a &str
    // input; stay defensive anyway.
    let text = String::from_utf8(out).map_err(|_| SqlError::syntax("invalid UTF-8 in string"))?;
    Ok((text, i))
}

fn backquoted(sql: &str, start: usize) -> Result<(String, usize), SqlError> {
    let bytes = sql.as_bytes();
    let mut out = String::new();
    let mut i = start + 1;
    let mut run = i;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(SqlError::syntax("unterminated quoted identifier"));
        };
        if b == b'`' {
            out.push_str(&sql[run..i]);
            if bytes.get(i + 1) == Some(&b'`') {
                out.push('`');
                i += 2;
                run = i;
                continue;
            }
            return Ok((out, i + 1));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(sql: &str) -> Vec<Token> {
        tokenize(sql)
            .expect("valid")
            .into_iter()
            .map(|s| s.token)
            .collect()
    }

    #[test]
    fn splits_statements_into_tokens() {
        assert_eq!(
            tokens("/* mysql-connector-j */SELECT @@session.auto_increment_increment AS x, `a``b`, 'it''s', \"q\\\"\" -- c\n ;"),
            vec![
                Token::Word("SELECT".into()),
                Token::SysVar("auto_increment_increment".into()),
                Token::Word("AS".into()),
                Token::Word("x".into()),
                Token::Symbol(","),
                Token::Quoted("a`b".into()),
                Token::Symbol(","),
                Token::Str("it's".into()),
                Token::Symbol(","),
                Token::Str("q\"".into()),
                Token::Symbol(";"),
            ]
        );
        assert_eq!(
            tokens("a<=1.5e3 and b<>? #x"),
            vec![
                Token::Word("a".into()),
                Token::Symbol("<="),
                Token::Number("1.5e3".into()),
                Token::Word("and".into()),
                Token::Word("b".into()),
                Token::Symbol("<>"),
                Token::Param,
            ]
        );
        assert_eq!(
            tokens("db.t"),
            vec![
                Token::Word("db".into()),
                Token::Symbol("."),
                Token::Word("t".into())
            ]
        );
    }

    #[test]
    fn rejects_unterminated_input() {
        assert!(tokenize("select 'abc").is_err());
        assert!(tokenize("select `abc").is_err());
        assert!(tokenize("select /* x").is_err());
        assert!(tokenize("select \\").is_err());
        assert_eq!(tokenize("select 'a\\").map_err(|e| e.code), Err(1064));
    }
}
