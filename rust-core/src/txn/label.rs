//! Label generation. Outside exactly-once, every load gets `{prefix}-{uuid}` as the public
//! connector does; the prefix was validated against StarRocks' label rules (`^[-\w]{1,128}$`).

/// Generates `{prefix}-{uuid}` labels.
#[derive(Debug, Clone)]
pub struct LabelGenerator {
    prefix: String,
}

impl LabelGenerator {
    pub fn new(prefix: impl Into<String>) -> Self {
        LabelGenerator {
            prefix: prefix.into(),
        }
    }

    pub fn next_label(&self) -> String {
        format!("{}-{}", self.prefix, uuid::Uuid::new_v4())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_prefixed_unique_and_valid() {
        let g = LabelGenerator::new("job_1");
        let a = g.next_label();
        let b = g.next_label();
        assert_ne!(a, b);
        assert!(a.starts_with("job_1-"));
        assert_eq!(a.len(), "job_1-".len() + 36);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }
}
