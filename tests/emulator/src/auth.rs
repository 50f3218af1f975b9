//! HTTP Basic authentication (spec §1.2): parsing the `Authorization` header and checking the
//! credentials against the configured users. Credentials are never logged or echoed, except the
//! user name inside StarRocks' own `Access denied for <user>@<ip>` message.

use base64::Engine;

/// User name and password from a Basic `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Parses `Basic base64(user:password)`; `None` when absent or unparsable.
pub fn parse_basic(header: Option<&str>) -> Option<Credentials> {
    let value = header?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    if user.is_empty() {
        return None;
    }
    Some(Credentials {
        user: user.to_string(),
        password: password.to_string(),
    })
}

/// True when the user exists with this password.
pub fn verify(users: &[(String, String)], credentials: &Credentials) -> bool {
    users
        .iter()
        .any(|(u, p)| *u == credentials.user && *p == credentials.password)
}

/// StarRocks' message for a failed login (spec §1.2).
pub fn access_denied_message(user: &str, peer_ip: &str) -> String {
    format!("Access denied for {user}@{peer_ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_headers() {
        let root = parse_basic(Some("Basic cm9vdDo=")).expect("root:");
        assert_eq!(root.user, "root");
        assert_eq!(root.password, "");
        assert!(parse_basic(Some("Bearer x")).is_none());
        assert!(parse_basic(Some("Basic !!!")).is_none());
        assert!(parse_basic(None).is_none());
        let users = vec![("root".to_string(), String::new())];
        assert!(verify(&users, &root));
    }
}
