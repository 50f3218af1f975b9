//! Writing the protocol's JSON bodies with a fixed key order (clients must not depend on order,
//! but a stable one makes the emulator's output easy to read and compare with the spec's examples),
//! compact (FE `RestBaseResult`) or pretty with four-space indentation (BE results).

/// A JSON object under construction; values are already-encoded JSON text.
#[derive(Debug, Default, Clone)]
pub struct JsonObject {
    members: Vec<(String, String)>,
}

/// Encodes a string as a JSON string literal.
pub fn quote(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

impl JsonObject {
    pub fn new() -> JsonObject {
        JsonObject::default()
    }

    pub fn str(mut self, key: &str, value: &str) -> JsonObject {
        self.members.push((key.to_string(), quote(value)));
        self
    }

    pub fn int(mut self, key: &str, value: i64) -> JsonObject {
        self.members.push((key.to_string(), value.to_string()));
        self
    }

    /// Appends the members of another object.
    pub fn extend(mut self, other: JsonObject) -> JsonObject {
        self.members.extend(other.members);
        self
    }

    pub fn opt_str(self, key: &str, value: Option<&str>) -> JsonObject {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// `{"k":v,...}`
    pub fn compact(&self) -> String {
        let body: Vec<String> = self
            .members
            .iter()
            .map(|(k, v)| format!("{}:{}", quote(k), v))
            .collect();
        format!("{{{}}}", body.join(","))
    }

    /// Multi-line with four-space indentation, like the BE's pretty writer.
    pub fn pretty(&self) -> String {
        let body: Vec<String> = self
            .members
            .iter()
            .map(|(k, v)| format!("    {}: {}", quote(k), v))
            .collect();
        format!("{{\n{}\n}}\n", body.join(",\n"))
    }
}
