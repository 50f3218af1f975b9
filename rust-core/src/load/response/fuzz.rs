//! `ServerAnswer` on arbitrary bytes and on arbitrary JSON objects with the keys StarRocks
//! answers with, in any letter case: parsing never panics, refusals carry a bounded excerpt, and
//! every accessor reads what the object holds.

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Map, Value};

use super::*;

/// The keys callers read, lower-case.
const KEYS: &[&str] = &[
    "status",
    "message",
    "msg",
    "existingjobstatus",
    "errorurl",
    "state",
    "txnid",
    "label",
    "numberfilteredrows",
    "loadtimems",
    "streamloadplantimems",
    "streamloadputtimems",
    "readdatatimems",
    "receiveddatatimems",
    "writedatatimems",
    "commitandpublishtimems",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[ -~é]{0,12}".prop_map(Value::String),
        prop_oneof![" ?-?[0-9]{1,20} ?", "[0-9]{1,3}\\.[0-9]"].prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec(("[a-z]{1,6}", inner), 0..4).prop_map(|e| Value::Object(e.into_iter().collect())),
        ]
    })
}

/// An answer object: known keys (each at most once, in any letter case) and other keys.
fn answer() -> impl Strategy<Value = Map<String, Value>> {
    (
        proptest::sample::subsequence(KEYS, 0..KEYS.len()),
        vec(any::<bool>(), KEYS.len()),
        vec(json(), KEYS.len()),
        vec(("[A-Z][a-zA-Z]{0,8}", json()), 0..3),
    )
        .prop_map(|(keys, upper, values, others)| {
            let mut map = Map::new();
            for (k, v) in others {
                if !KEYS.contains(&k.to_ascii_lowercase().as_str()) {
                    map.insert(k, v);
                }
            }
            for (i, k) in keys.iter().enumerate() {
                let key: String = k
                    .chars()
                    .enumerate()
                    .map(|(j, c)| {
                        if upper[(i + j) % upper.len()] {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect();
                map.insert(key, values[i].clone());
            }
            map
        })
}

/// What `text` must return for a value.
fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// What `int` must return for a value.
fn int_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_parse_or_are_refused_with_an_excerpt(
        body in prop_oneof![
            vec(any::<u8>(), 0..600),
            json().prop_map(|v| v.to_string().into_bytes()),
            "\\{[ -~]{0,40}\\}".prop_map(String::into_bytes),
        ],
    ) {
        match ServerAnswer::parse(&body) {
            Ok(a) => {
                a.status();
                a.message();
                a.load_stats();
                a.error_url();
                a.existing_job_status();
                a.state();
            }
            Err(e) => {
                prop_assert!(e.starts_with("not a JSON"), "{}", e);
                prop_assert!(e.chars().count() < 300 + 200, "{}", e);
            }
        }
    }

    #[test]
    fn accessors_read_keys_in_any_letter_case(map in answer()) {
        let body = Value::Object(map).to_string();
        let a = ServerAnswer::parse(body.as_bytes()).map_err(TestCaseError::fail)?;
        // The object as JSON reads it back (serde_json's float parsing may move a last digit).
        let map: Map<String, Value> = serde_json::from_str(&body).unwrap();
        let get = |key: &str| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
        for key in KEYS {
            prop_assert_eq!(a.text(key), text_of(get(key)), "{}", key);
            prop_assert_eq!(a.int(key), int_of(get(key)), "{}", key);
        }
        prop_assert_eq!(a.status(), text_of(get("status")));
        prop_assert_eq!(a.state(), text_of(get("state")));
        prop_assert_eq!(a.existing_job_status(), text_of(get("existingjobstatus")));
        prop_assert_eq!(a.error_url(), text_of(get("errorurl")).filter(|u| !u.is_empty()));
        let message = text_of(get("message")).filter(|m| !m.is_empty());
        prop_assert_eq!(a.message(), message.or_else(|| text_of(get("msg"))).unwrap_or_default());
        let stats = a.load_stats();
        prop_assert_eq!(stats.filtered_rows, int_of(get("numberfilteredrows")));
        prop_assert_eq!(stats.load_time_ms, int_of(get("loadtimems")));
        prop_assert_eq!(
            stats.plan_time_ms,
            int_of(get("streamloadplantimems")).or_else(|| int_of(get("streamloadputtimems")))
        );
        prop_assert_eq!(
            stats.read_data_time_ms,
            int_of(get("readdatatimems")).or_else(|| int_of(get("receiveddatatimems")))
        );
        prop_assert_eq!(stats.write_data_time_ms, int_of(get("writedatatimems")));
        prop_assert_eq!(stats.commit_and_publish_time_ms, int_of(get("commitandpublishtimems")));
    }

    #[test]
    fn excerpts_are_bounded(body in vec(any::<u8>(), 0..64), max in 0usize..80) {
        let e = excerpt(&body, max);
        let text = String::from_utf8_lossy(&body);
        if text.chars().count() > max {
            prop_assert_eq!(e.chars().count(), max + 3);
            prop_assert!(e.ends_with("..."));
        } else {
            prop_assert_eq!(e, text);
        }
    }
}
