//! Credentials that users write inside URLs (`http://user:password@fe:8030`,
//! `jdbc:mysql://fe:9030/db?password=...`) are cut out before a URL goes into a message or a log.
//! The engine never uses them (credentials come from 'username' and 'password'), so nothing is
//! lost but the secret.

/// Query parameter names (lower-case parts) whose values are hidden.
const SECRET_PARAMETERS: &[&str] = &["pass", "pwd", "secret", "token", "key", "credential"];

/// `url` as it may be shown: everything up to the last `@` of the part after the scheme (user
/// info, even with unescaped `/` or `?` in the password) becomes `***`, and so do the values of
/// query parameters whose name suggests a secret.
pub fn url_for_messages(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    let rest = match rest.rfind('@') {
        Some(at) => {
            out.push_str("***@");
            &rest[at + 1..]
        }
        None => rest,
    };
    let Some((before_query, query)) = rest.split_once('?') else {
        out.push_str(rest);
        return out;
    };
    out.push_str(before_query);
    out.push('?');
    let parameters: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((name, _)) if is_secret(name) => format!("{name}=***"),
            _ => p.to_string(),
        })
        .collect();
    out.push_str(&parameters.join("&"));
    out
}

fn is_secret(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_PARAMETERS.iter().any(|s| lower.contains(s))
}

#[cfg(test)]
mod tests {
    use super::url_for_messages;

    #[test]
    fn user_info_and_secret_parameters_are_hidden() {
        assert_eq!(
            url_for_messages("http://root:s3cret@fe1:8030"),
            "http://***@fe1:8030"
        );
        assert_eq!(url_for_messages("root:s3/c?r@t@fe1:8030"), "***@fe1:8030");
        assert_eq!(
            url_for_messages(
                "jdbc:mysql://fe1:9030,fe2:9030/db?user=root&password=s3cret&useSSL=false"
            ),
            "jdbc:mysql://fe1:9030,fe2:9030/db?user=root&password=***&useSSL=false"
        );
        assert_eq!(
            url_for_messages("jdbc:mysql://fe:9030?PWD=x&apiKey=y"),
            "jdbc:mysql://fe:9030?PWD=***&apiKey=***"
        );
    }

    #[test]
    fn urls_without_credentials_are_unchanged() {
        for url in [
            "fe1:8030",
            "http://fe1:8030/",
            "jdbc:mysql://fe1:9030/db?useSSL=false",
            "jdbc:mysql://[::1]:9030",
        ] {
            assert_eq!(url_for_messages(url), url);
        }
    }
}
