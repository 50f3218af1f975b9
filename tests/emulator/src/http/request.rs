//! Request heads: parsing the request line and headers, case-insensitive header lookup, query
//! parameters, percent-decoding, and how the body is framed.

use std::fmt;

/// Largest request head accepted (request line + headers).
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// How the request body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFraming {
    Length(u64),
    Chunked,
}

/// A parsed request line and headers.
#[derive(Debug, Clone)]
pub struct RequestHead {
    pub method: String,
    /// Path part of the target, not decoded.
    pub path: String,
    /// Query part of the target without `?`, not decoded.
    pub query: Option<String>,
    /// HTTP/1.x minor version (0 or 1).
    pub minor_version: u8,
    /// Header names and values in arrival order (values trimmed of surrounding whitespace).
    pub headers: Vec<(String, String)>,
}

/// Why a head could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadError(pub String);

impl fmt::Display for HeadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl RequestHead {
    /// Parses `bytes`, which hold the head without the final empty line.
    pub fn parse(bytes: &[u8]) -> Result<RequestHead, HeadError> {
        let text = String::from_utf8_lossy(bytes);
        let mut lines = text.split("\r\n").flat_map(|l| l.split('\n'));
        let request_line = lines
            .next()
            .ok_or_else(|| HeadError("empty request".into()))?;
        let mut parts = request_line.split(' ').filter(|p| !p.is_empty());
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(HeadError(format!("bad request line '{request_line}'")));
        };
        let minor_version = match version {
            "HTTP/1.1" => 1,
            "HTTP/1.0" => 0,
            _ => return Err(HeadError(format!("unsupported version '{version}'"))),
        };
        if !method.bytes().all(|c| c.is_ascii_uppercase()) {
            return Err(HeadError(format!("bad method '{method}'")));
        }
        let mut headers = Vec::new();
        for line in lines {
            if line.is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| HeadError(format!("bad header line '{line}'")))?;
            if name.is_empty() || name.bytes().any(|c| c <= b' ') {
                return Err(HeadError(format!("bad header name '{name}'")));
            }
            headers.push((name.to_string(), value.trim().to_string()));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        Ok(RequestHead {
            method: method.to_string(),
            path,
            query,
            minor_version,
            headers,
        })
    }

    /// First value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A header value, `None` when absent or empty.
    pub fn non_empty_header(&self, name: &str) -> Option<&str> {
        self.header(name).filter(|v| !v.is_empty())
    }

    /// True when the request carries `Expect: 100-continue`.
    pub fn expects_continue(&self) -> bool {
        self.header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    }

    /// Whether the client allows the connection to stay open after the response.
    pub fn wants_keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("");
        let has = |token: &str| {
            connection
                .split(',')
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        };
        if self.minor_version == 0 {
            has("keep-alive")
        } else {
            !has("close")
        }
    }

    /// Body framing: chunked wins over Content-Length; no framing header means no body.
    pub fn framing(&self) -> Result<BodyFraming, HeadError> {
        if let Some(te) = self.header("transfer-encoding") {
            let last = te.split(',').next_back().unwrap_or("").trim();
            if last.eq_ignore_ascii_case("chunked") {
                return Ok(BodyFraming::Chunked);
            }
            return Err(HeadError(format!("unsupported transfer-encoding '{te}'")));
        }
        match self.header("content-length") {
            None => Ok(BodyFraming::Length(0)),
            Some(v) => v
                .parse::<u64>()
                .map(BodyFraming::Length)
                .map_err(|_| HeadError(format!("invalid content-length '{v}'"))),
        }
    }

    /// A query parameter, percent-decoded (`+` as space).
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if percent_decode(k, true).as_deref() == Some(name) {
                return percent_decode(v, true);
            }
        }
        None
    }

    /// Path segments (not decoded), without the leading empty segment.
    pub fn path_segments(&self) -> Vec<&str> {
        self.path.split('/').skip(1).collect()
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes a URL component; `None` when an escape is malformed or the result is not UTF-8.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = hex_value(*bytes.get(i + 1)?)?;
                let lo = hex_value(*bytes.get(i + 2)?)?;
                out.push(hi * 16 + lo);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_heads() {
        let head = RequestHead::parse(
            b"PUT /api/db/t/_stream_load?x=1&label=a%2Db HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 12\r\nlabel:  l1 ",
        )
        .expect("valid head");
        assert_eq!(head.method, "PUT");
        assert_eq!(head.path, "/api/db/t/_stream_load");
        assert_eq!(head.query_param("label").as_deref(), Some("a-b"));
        assert!(head.expects_continue());
        assert_eq!(head.header("LABEL"), Some("l1"));
        assert_eq!(head.framing(), Ok(BodyFraming::Length(12)));
        assert!(head.wants_keep_alive());
        assert!(RequestHead::parse(b"garbage").is_err());
        assert!(RequestHead::parse(b"GET / HTTP/2.0").is_err());
    }

    #[test]
    fn decodes_percent() {
        assert_eq!(percent_decode("a%20b+c", true).as_deref(), Some("a b c"));
        assert_eq!(percent_decode("a%2", false), None);
    }
}
