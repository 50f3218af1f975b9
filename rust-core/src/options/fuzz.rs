//! `SinkOptions::from_map` and the option parsers on arbitrary values: they never panic, an error
//! names the option at fault (exactly that option when it is the only bad one), accepted options
//! hold what validation promises, and the password appears in no message and no `Debug` output.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

use super::*;

const REQUIRED: &[&str] = &[
    "jdbc-url",
    "load-url",
    "database-name",
    "table-name",
    "username",
    "password",
];

/// Header names the engine reads or reserves, and ordinary ones.
const HEADERS: &[&str] = &[
    "format",
    "column_separator",
    "row_delimiter",
    "timeout",
    "compression",
    "strip_outer_array",
    "ignore_json_size",
    "columns",
    "partial_update",
    "max_filter_ratio",
    "prepared_timeout",
    "label",
    "expect",
    "Authorization",
    "content-encoding",
    "enable_merge_commit",
    "transaction_type",
    "Format",
];

/// A password no other value holds by chance.
fn password() -> impl Strategy<Value = String> {
    "[ -~]{0,10}".prop_map(|p| format!("secret-{p}"))
}

/// Values of every shape an option may get.
fn any_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,12}",
        "-?[0-9]{1,20}",
        prop_oneof![Just("true"), Just("FALSE"), Just(" true "), Just("yes")]
            .prop_map(String::from),
        prop_oneof![
            Just("json"),
            Just("CSV"),
            Just("\\x01"),
            Just("0x0a0b"),
            Just("\\x"),
            Just("||"),
            Just("lz4_frame"),
            Just("zstd"),
            Just("bzip2"),
            Just("exactly-once"),
            Just("V1"),
            Just("fe:8030;http://fe2:8030"),
            Just("https://fe:8030"),
            Just("[::1]:8030"),
            Just("-1"),
            Just("9223372036854775808"),
        ]
        .prop_map(String::from),
    ]
}

/// A value for a required option: mostly a good one.
fn required_value(key: &'static str) -> BoxedStrategy<Option<String>> {
    let good = match key {
        "jdbc-url" => "jdbc:mysql://fe:9030",
        "load-url" => "fe:8030",
        _ => "x",
    };
    prop_oneof![
        12 => Just(Some(good.to_string())),
        1 => Just(None),
        1 => any_value().prop_map(Some),
    ]
    .boxed()
}

/// A map of options: the required ones (mostly good), known option keys and Stream Load
/// properties with any values, and the password.
fn options() -> impl Strategy<Value = (BTreeMap<String, String>, String)> {
    let required: Vec<_> = REQUIRED[..5].iter().map(|k| required_value(k)).collect();
    // Known keys, half of them at their default.
    let known = (
        proptest::sample::select(OPTION_SPECS),
        any::<bool>(),
        any_value(),
    )
        .prop_map(|(spec, default, value)| {
            let value = match spec.default {
                Some(d) if default => d.to_string(),
                _ => value,
            };
            (spec.key.to_string(), value)
        });
    let header = prop_oneof![
        4 => proptest::sample::select(HEADERS).prop_map(String::from),
        1 => "[a-zA-Z_]{1,10}",
    ];
    (
        required,
        proptest::option::weighted(0.9, password()),
        vec(known, 0..6),
        btree_map(
            header.prop_map(|h| format!("{PROPERTIES_PREFIX}{h}")),
            any_value(),
            0..4,
        ),
        prop_oneof![9 => Just(None), 1 => "[a-z.-]{1,20}".prop_map(Some)],
    )
        .prop_map(|(required, password, known, properties, unknown)| {
            let password = password.unwrap_or_default();
            let mut map = BTreeMap::new();
            for (key, value) in REQUIRED.iter().zip(required) {
                if let Some(v) = value {
                    map.insert(key.to_string(), v);
                }
            }
            if !password.is_empty() {
                map.insert("password".to_string(), password.clone());
            }
            map.extend(known.into_iter().filter(|(k, _)| k != "password"));
            map.extend(properties);
            if let Some(k) = unknown {
                map.insert(k, "1".to_string());
            }
            (map, password)
        })
}

/// Whether `message` names `key` (header names are named lower-case).
fn names(message: &str, key: &str) -> bool {
    message
        .to_ascii_lowercase()
        .contains(&format!("'{}'", key.to_ascii_lowercase()))
}

/// A valid map (defaults for everything else).
fn valid() -> BTreeMap<String, String> {
    [
        ("jdbc-url", "jdbc:mysql://fe:9030"),
        ("load-url", "fe:8030"),
        ("database-name", "db"),
        ("table-name", "t"),
        ("username", "root"),
        ("password", "secret-pw"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Keys for which "x y" is not a valid value.
fn checked_keys() -> Vec<String> {
    let free = [
        "jdbc-url",
        "database-name",
        "table-name",
        "username",
        "password",
    ];
    OPTION_SPECS
        .iter()
        .filter(|s| !free.contains(&s.key) && s.support != Support::Shim)
        .map(|s| s.key.to_string())
        .chain(
            [
                "format",
                "timeout",
                "compression",
                "label",
                "expect",
                "Authorization",
                "content-encoding",
                "enable_merge_commit",
                "transaction_type",
            ]
            .iter()
            .map(|h| format!("{PROPERTIES_PREFIX}{h}")),
        )
        .collect()
}

proptest! {
    #[test]
    fn any_options_are_accepted_or_refused_naming_an_option((map, password) in options()) {
        match SinkOptions::from_map(&map) {
            Ok(o) => {
                if !password.is_empty() {
                    let debug = format!("{o:?}");
                    prop_assert!(!debug.contains(&password), "{}", debug);
                    prop_assert!(o.warnings.iter().all(|w| !w.contains(&password)));
                }
                prop_assert_eq!(o.password.expose(), password.as_str());
                prop_assert!(!o.load_urls.is_empty());
                prop_assert!(o.flush_interval >= o.scan_frequency);
                prop_assert!((1..=5_000_000).contains(&o.max_rows));
                prop_assert!((1..=256).contains(&o.io_threads));
                prop_assert!((1..=259_200).contains(&o.load_timeout.as_secs()));
                prop_assert!(o.properties.headers.iter().any(|(k, _)| k == "timeout"));
                match &o.properties.format {
                    Format::Csv { column_separator: s, row_delimiter: d } => {
                        prop_assert!((1..=50).contains(&s.len()) && (1..=50).contains(&d.len()));
                        prop_assert!(s != d && memchr::memmem::find(s, d).is_none());
                    }
                    Format::Json => prop_assert!(o
                        .properties
                        .headers
                        .contains(&("strip_outer_array".into(), "true".into()))),
                }
                if let Some(p) = &o.label_prefix {
                    prop_assert!(validate_label_prefix(p, 37).is_ok());
                }
            }
            Err(e) => {
                let kind = e.kind();
                prop_assert!(matches!(kind, ErrorKind::Config | ErrorKind::Unsupported), "{}", e);
                if !password.is_empty() {
                    prop_assert!(!e.message().contains(&password), "{}", e);
                }
                prop_assert!(
                    map.keys()
                        .map(String::as_str)
                        .chain(REQUIRED.iter().copied())
                        .any(|k| names(e.message(), k)),
                    "names no option: {}", e
                );
            }
        }
    }

    /// One bad option among good ones: the error names it.
    #[test]
    fn the_one_bad_option_is_named(
        key in proptest::sample::select(checked_keys()),
        value in prop_oneof![Just("x y".to_string()), "[a-z]{1,3} [ -~]{0,6}"],
    ) {
        let mut map = valid();
        map.insert(key.clone(), value);
        let e = SinkOptions::from_map(&map).expect_err("a bad value");
        prop_assert!(names(e.message(), &key), "{}: {}", key, e);
        prop_assert!(!e.message().contains("secret-pw"), "{}", e);
    }

    #[test]
    fn table_properties_are_accepted_or_refused_naming_the_property(
        overrides in vec(
            (proptest::sample::select(HEADERS).prop_map(String::from), any_value()),
            0..4,
        ),
    ) {
        let o = SinkOptions::from_map(&valid()).unwrap();
        if let Err(e) = o.table_properties("db.t1", &overrides) {
            let message = e.message().to_ascii_lowercase();
            prop_assert!(
                overrides.iter().any(|(k, _)| {
                    let named = format!("property '{}' of table db.t1", k.to_ascii_lowercase());
                    message.contains(&named)
                }),
                "{}", e
            );
        }
    }

    #[test]
    fn load_urls_parse_or_are_refused_naming_the_option(value in "[ -~]{0,30}") {
        match parse_load_urls(&value) {
            Ok(urls) => prop_assert!(urls.iter().all(|u| !u.host.is_empty() && u.port > 0)),
            Err(e) => prop_assert!(e.message().contains("'load-url'"), "{}", e),
        }
    }

    #[test]
    fn delimiters_parse_or_are_refused_naming_the_option(
        value in prop_oneof!["[ -~]{0,60}", "(\\\\x|0x)[0-9a-fA-F]{0,110}"],
    ) {
        match delimiter("k", &value) {
            Ok(bytes) => prop_assert!((1..=50).contains(&bytes.len())),
            Err(e) => prop_assert!(e.message().contains("'k'"), "{}", e),
        }
    }

    #[test]
    fn label_prefixes_are_checked(prefix in "[ -~é]{0,100}") {
        let ok = !prefix.is_empty()
            && prefix.len() + 37 <= MAX_LABEL_LEN
            && prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        prop_assert_eq!(validate_label_prefix(&prefix, 37).is_ok(), ok);
    }

    #[test]
    fn jdbc_urls_parse_or_are_refused_naming_the_option(
        url in prop_oneof![
            "[ -~]{0,30}",
            "jdbc:mysql://[ -~]{0,30}",
            "jdbc:mysql://((\\[?[a-f0-9:]{0,6}\\]?|[a-z]{0,3})(:[0-9]{0,6})?,?){1,3}(/db)?",
        ],
    ) {
        match crate::introspect::parse_jdbc_url(&url) {
            Ok(hosts) => {
                prop_assert!(!hosts.is_empty() && hosts.iter().all(|(h, _)| !h.is_empty()));
            }
            Err(e) => prop_assert!(e.message().contains("'jdbc-url'"), "{}", e),
        }
    }
}
