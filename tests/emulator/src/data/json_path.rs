//! The JsonPath subset used by `jsonpaths` and `json_root` (spec §8.2): `$` followed by member
//! steps `.name`, `['name']`, `["name"]` and array indexes `[n]`. Wildcards, recursive descent
//! and filters are refused with a clear message.

use crate::data::json_value::JsonValue;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Member(String),
    Index(usize),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    pub text: String,
    pub steps: Vec<Step>,
}

fn unsupported(text: &str, why: &str) -> String {
    format!("Invalid json path: {text} ({why}; the emulator supports $, .name, ['name'] and [n])")
}

impl JsonPath {
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let trimmed = text.trim();
        let Some(rest) = trimmed.strip_prefix('$') else {
            return Err(unsupported(text, "a path must start with $"));
        };
        let chars: Vec<char> = rest.chars().collect();
        let mut i = 0;
        let mut steps = Vec::new();
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    if chars.get(i + 1) == Some(&'.') {
                        return Err(unsupported(text, "recursive descent"));
                    }
                    i += 1;
                    let start = i;
                    while i < chars.len() && chars[i] != '.' && chars[i] != '[' {
                        i += 1;
                    }
                    let name: String = chars[start..i].iter().collect();
                    if name.is_empty() {
                        return Err(unsupported(text, "empty member name"));
                    }
                    if name == "*" {
                        return Err(unsupported(text, "wildcard"));
                    }
                    steps.push(Step::Member(name));
                }
                '[' => {
                    let close = chars[i..]
                        .iter()
                        .position(|&c| c == ']')
                        .map(|p| p + i)
                        .ok_or_else(|| unsupported(text, "missing ]"))?;
                    let inner: String = chars[i + 1..close].iter().collect();
                    let inner = inner.trim();
                    let quoted = inner.len() >= 2
                        && ((inner.starts_with('\'') && inner.ends_with('\''))
                            || (inner.starts_with('"') && inner.ends_with('"')));
                    if quoted {
                        steps.push(Step::Member(inner[1..inner.len() - 1].to_string()));
                    } else if let Ok(n) = inner.parse::<usize>() {
                        steps.push(Step::Index(n));
                    } else {
                        return Err(unsupported(text, "only [n] and ['name'] subscripts"));
                    }
                    i = close + 1;
                }
                _ => return Err(unsupported(text, "expected . or [")),
            }
        }
        Ok(JsonPath {
            text: text.to_string(),
            steps,
        })
    }

    /// Parses the `jsonpaths` header: a JSON array of path strings.
    pub fn parse_list(header: &str) -> Result<Vec<JsonPath>, String> {
        let list: Vec<String> = serde_json::from_str(header).map_err(|_| {
            format!("Invalid jsonpaths: {header} (must be a JSON array of strings)")
        })?;
        list.iter().map(|p| JsonPath::parse(p)).collect()
    }

    /// The value at this path, `None` if a step does not exist.
    pub fn find<'v, 'a>(&self, root: &'v JsonValue<'a>) -> Option<&'v JsonValue<'a>> {
        let mut current = root;
        for step in &self.steps {
            current = match (step, current) {
                (Step::Member(name), JsonValue::Object(members)) => {
                    members.iter().find(|(k, _)| k == name).map(|(_, v)| v)?
                }
                (Step::Index(i), JsonValue::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::json_value::parse_single;

    #[test]
    fn finds_values() {
        let doc = parse_single(r#"{"a":{"b":[10,{"c":"x"}]},"d e":1}"#).expect("json");
        let get = |p: &str| {
            JsonPath::parse(p)
                .expect("path")
                .find(&doc)
                .map(|v| format!("{v:?}"))
        };
        assert_eq!(get("$.a.b[0]"), Some("Number(\"10\")".to_string()));
        assert_eq!(get("$.a.b[1].c"), Some("String(\"x\")".to_string()));
        assert_eq!(get("$['d e']"), Some("Number(\"1\")".to_string()));
        assert_eq!(get("$.zz"), None);
        assert!(get("$").is_some());
        assert!(JsonPath::parse("$.a[*]").is_err());
        assert!(JsonPath::parse("$..a").is_err());
        assert!(JsonPath::parse("a.b").is_err());
        assert_eq!(
            JsonPath::parse_list(r#"["$.a", "$.b"]"#)
                .expect("list")
                .len(),
            2
        );
        assert!(JsonPath::parse_list("$.a").is_err());
    }
}
