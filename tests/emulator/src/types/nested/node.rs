//! A nested value before conversion, whatever it was loaded from: a JSON array/object of a JSON
//! body (`from_json`, borrowing), or ARRAY/MAP/STRUCT text from a CSV field or a JSON string
//! (`text::parse`). Leaves keep how they were written (JSON number, quoted string, bare token) so
//! each element converts with the same rules as a top-level value of that form.

use std::borrow::Cow;

use crate::data::json_value::{parse_single, JsonValue};
use crate::types::convert::Input;

#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Null,
    /// A JSON `true`/`false`.
    Bool(bool),
    /// A JSON number token, as written.
    Number(&'a str),
    /// A quoted string, unescaped.
    Str(Cow<'a, str>),
    /// An unquoted token of text (`12`, `2024-01-01`, `true`), trimmed.
    Bare(&'a str),
    List(Vec<Node<'a>>),
    /// Object or map entries in order; keys are leaves or `Null`.
    Entries(Vec<(Node<'a>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// The node of a JSON value (strings and number tokens borrowed).
    pub fn from_json(value: &'a JsonValue<'_>) -> Node<'a> {
        match value {
            JsonValue::Null => Node::Null,
            JsonValue::Bool(b) => Node::Bool(*b),
            JsonValue::Number(n) => Node::Number(n),
            JsonValue::String(s) => Node::Str(Cow::Borrowed(s)),
            JsonValue::Array(items) => Node::List(items.iter().map(Node::from_json).collect()),
            JsonValue::Object(members) => Node::Entries(
                members
                    .iter()
                    .map(|(k, v)| (Node::Str(Cow::Borrowed(k)), Node::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// A leaf as a loaded value; `None` for NULL, lists and entries.
    pub fn as_input(&self) -> Option<Input<'_>> {
        match self {
            Node::Bool(b) => Some(Input::JsonBool(*b)),
            Node::Number(n) => Some(Input::JsonNumber(n)),
            Node::Str(s) => Some(Input::JsonString(s)),
            Node::Bare(t) => Some(Input::Text(t.as_bytes())),
            Node::Null | Node::List(_) | Node::Entries(_) => None,
        }
    }

    /// The text of a leaf (for STRUCT field names and messages); `None` for the others.
    pub fn leaf_text(&self) -> Option<&str> {
        match self {
            Node::Bool(true) => Some("true"),
            Node::Bool(false) => Some("false"),
            Node::Number(t) | Node::Bare(t) => Some(t),
            Node::Str(s) => Some(s),
            Node::Null | Node::List(_) | Node::Entries(_) => None,
        }
    }

    /// The node as a JSON value; `None` when it is not one (a bare word that is not a JSON
    /// literal, an entry key that is not a string).
    pub fn to_json(&self) -> Option<JsonValue<'_>> {
        Some(match self {
            Node::Null => JsonValue::Null,
            Node::Bool(b) => JsonValue::Bool(*b),
            Node::Number(n) => JsonValue::Number(n),
            Node::Str(s) => JsonValue::String(Cow::Borrowed(s)),
            Node::Bare(t) => match parse_single(t).ok()? {
                literal @ (JsonValue::Number(_) | JsonValue::Bool(_)) => literal,
                _ => return None,
            },
            Node::List(items) => {
                JsonValue::Array(items.iter().map(Node::to_json).collect::<Option<_>>()?)
            }
            Node::Entries(entries) => JsonValue::Object(
                entries
                    .iter()
                    .map(|(k, v)| match k {
                        Node::Str(_) | Node::Bare(_) => {
                            Some((Cow::Borrowed(k.leaf_text()?), v.to_json()?))
                        }
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::json_value::render_compact;

    #[test]
    fn json_values_become_nodes_and_back() {
        let json = parse_single(r#"{"a":[1,true,null,"x"],"b":{"c":2.50}}"#).expect("json");
        let node = Node::from_json(&json);
        let Node::Entries(entries) = &node else {
            panic!("{node:?}")
        };
        assert_eq!(entries[0].0, Node::Str(Cow::Borrowed("a")));
        assert_eq!(
            entries[0].1,
            Node::List(vec![
                Node::Number("1"),
                Node::Bool(true),
                Node::Null,
                Node::Str(Cow::Borrowed("x"))
            ])
        );
        let mut back = String::new();
        render_compact(&node.to_json().expect("json"), &mut back);
        assert_eq!(back, r#"{"a":[1,true,null,"x"],"b":{"c":2.50}}"#);
    }

    #[test]
    fn bare_words_are_json_only_when_literals() {
        assert_eq!(Node::Bare("12").to_json(), Some(JsonValue::Number("12")));
        assert_eq!(Node::Bare("false").to_json(), Some(JsonValue::Bool(false)));
        assert_eq!(Node::Bare("abc").to_json(), None);
        let null_key = Node::Entries(vec![(Node::Null, Node::Number("1"))]);
        assert_eq!(null_key.to_json(), None);
    }
}
