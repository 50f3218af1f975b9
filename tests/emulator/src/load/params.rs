//! Stream Load request headers (spec §2.2) and their validation, in the two places the BE checks
//! them: `early` (header phase before the transaction begins: format, JSON size, timeout) and
//! `plan_from_headers` (after begin, like the BE's put request to the FE planner: delimiters,
//! columns, strict mode, filter ratio, memory limits, unsupported features).

use std::sync::Arc;

use super::plan::{
    map_sources, parse_columns_header, parse_delimiter, CsvFormat, DataFormat, LoadPlan,
};
use crate::http::request::{BodyFraming, RequestHead};
use crate::storage::schema::{KeyModel, TableSchema};

/// Default load timeout, FE `stream_load_default_timeout_second`.
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;
/// FE `min_load_timeout_second` .. `max_stream_load_timeout_second`.
pub const MIN_TIMEOUT_SECS: u64 = 1;
pub const MAX_TIMEOUT_SECS: u64 = 259_200;
/// BE `streaming_load_max_batch_size_mb` for JSON bodies without `ignore_json_size`.
pub const MAX_JSON_BODY_BYTES: u64 = 100 * 1024 * 1024;

/// The body format named by the `format` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatName {
    Csv,
    Json,
    /// gzip, bzip2, lz4, deflate, zstd: valid, not emulated yet.
    CompressedCsv,
}

/// What the header phase needs before the transaction begins.
#[derive(Debug, Clone)]
pub struct EarlyParams {
    pub format: FormatName,
    pub format_text: String,
    pub timeout_secs: u64,
}

fn is_true(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// Header-phase checks (spec §2.3 step 4).
pub fn early(head: &RequestHead, framing: BodyFraming) -> Result<EarlyParams, String> {
    let format_text = head.non_empty_header("format").unwrap_or("csv").to_string();
    let format = match format_text.to_ascii_lowercase().as_str() {
        "csv" => FormatName::Csv,
        "json" => FormatName::Json,
        "gzip" | "bzip2" | "lz4" | "deflate" | "zstd" => FormatName::CompressedCsv,
        _ => return Err(format!("unknown data format, format={format_text}")),
    };
    if format == FormatName::Json {
        let ignore = head.header("ignore_json_size").is_some_and(is_true);
        if let BodyFraming::Length(n) = framing {
            if !ignore && n > MAX_JSON_BODY_BYTES {
                return Err(format!(
                    "The size of this batch exceed the max size [{MAX_JSON_BODY_BYTES}] of json type data data [{n}]. Set ignore_json_size to skip the check, although it may lead huge memory consuming."
                ));
            }
        }
    }
    let timeout_secs = match head.non_empty_header("timeout") {
        None => DEFAULT_TIMEOUT_SECS,
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| "Invalid timeout format".to_string())?,
    };
    Ok(EarlyParams {
        format,
        format_text,
        timeout_secs,
    })
}

/// Checks the timeout range, as the FE does when the transaction begins.
pub fn check_timeout_range(timeout_secs: u64) -> Result<(), String> {
    if (MIN_TIMEOUT_SECS..=MAX_TIMEOUT_SECS).contains(&timeout_secs) {
        Ok(())
    } else {
        Err(format!(
            "Invalid timeout. Timeout should between {MIN_TIMEOUT_SECS} and {MAX_TIMEOUT_SECS} seconds"
        ))
    }
}

fn parse_bool_header(head: &RequestHead, name: &str, message: &str) -> Result<bool, String> {
    match head.non_empty_header(name) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(message.to_string()),
    }
}

/// Leading numeric prefix like C's `strtod`; 0 when there is none.
fn strtod(value: &str) -> f64 {
    let v = value.trim_start();
    let mut end = 0;
    for i in (1..=v.len()).rev() {
        if v.is_char_boundary(i) && v[..i].parse::<f64>().is_ok() {
            end = i;
            break;
        }
    }
    v[..end].parse::<f64>().unwrap_or(0.0)
}

/// Headers the emulator recognises but does not emulate yet; present → `Fail`.
const NOT_EMULATED: &[&str] = &[
    "where",
    "jsonpaths",
    "json_root",
    "enclose",
    "escape",
    "merge_condition",
    "compression",
    "content-encoding",
    "enable_merge_commit",
    "partitions",
    "temporary_partitions",
];

/// Builds the load plan from the headers and the table (spec §2.3 step 7).
pub fn plan_from_headers(
    head: &RequestHead,
    early: &EarlyParams,
    schema: Arc<TableSchema>,
) -> Result<LoadPlan, String> {
    let strict_mode = parse_bool_header(
        head,
        "strict_mode",
        "Invalid strict mode format. Must be bool type",
    )?;
    let partial_update = parse_bool_header(
        head,
        "partial_update",
        "Invalid partial update flag format. Must be bool type",
    )?;
    if let Some(v) = head.non_empty_header("load_mem_limit") {
        let n: i64 = v
            .parse()
            .map_err(|_| "Invalid load mem limit format".to_string())?;
        if n < 0 {
            return Err("load_mem_limit must be equal or greater than 0".to_string());
        }
    }
    if let Some(v) = head.non_empty_header("exec_mem_limit") {
        let n: i64 = v
            .parse()
            .map_err(|_| "Invalid exec_mem_limit format".to_string())?;
        if n <= 0 {
            return Err("exec_mem_limit must be greater than 0".to_string());
        }
    }
    if head.non_empty_header("partitions").is_some()
        && head.non_empty_header("temporary_partitions").is_some()
    {
        return Err("Can not specify both partitions and temporary partitions".to_string());
    }
    if let Some(v) = head.non_empty_header("log_rejected_record_num") {
        let n: i64 = v
            .parse()
            .map_err(|_| format!("Invalid log_rejected_record_num: {v}"))?;
        if n < -1 {
            return Err(format!(
                "Invalid log_rejected_record_num: {v}, must be >= -1"
            ));
        }
    }
    if partial_update {
        if schema.model != KeyModel::Primary {
            return Err("Only primary key table support partial update".to_string());
        }
        return Err("partial_update is not supported by the emulator yet".to_string());
    }
    if head.header("negative").is_some_and(is_true) {
        return Err("negative loads are not supported by the emulator".to_string());
    }
    for name in NOT_EMULATED {
        if head.non_empty_header(name).is_some() {
            return Err(format!(
                "the '{name}' header is not supported by the emulator yet"
            ));
        }
    }
    let max_filter_ratio = head
        .non_empty_header("max_filter_ratio")
        .map_or(0.0, strtod);

    let format = match early.format {
        FormatName::CompressedCsv => {
            return Err(format!(
                "compressed format '{}' is not supported by the emulator yet",
                early.format_text
            ))
        }
        FormatName::Csv => {
            let column_separator = match head.non_empty_header("column_separator") {
                Some(v) => parse_delimiter(v, "column separator")?,
                None => b"\t".to_vec(),
            };
            let row_delimiter = match head.non_empty_header("row_delimiter") {
                Some(v) => parse_delimiter(v, "row delimiter")?,
                None => b"\n".to_vec(),
            };
            let skip_header = match head.non_empty_header("skip_header") {
                Some(v) => v
                    .parse::<u64>()
                    .map_err(|_| format!("Invalid skip_header: {v}"))?,
                None => 0,
            };
            let trim_space = parse_bool_header(
                head,
                "trim_space",
                "Invalid trim_space format. Must be bool type",
            )?;
            DataFormat::Csv(CsvFormat {
                column_separator,
                row_delimiter,
                skip_header,
                trim_space,
            })
        }
        FormatName::Json => DataFormat::Json {
            strip_outer_array: head.header("strip_outer_array").is_some_and(is_true),
        },
    };

    let names: Vec<String> = match head.non_empty_header("columns") {
        Some(v) => parse_columns_header(v)?,
        None => {
            let mut names = schema.column_names();
            // JSON into a PRIMARY KEY table picks `__op` up by itself (spec §8.4).
            if matches!(format, DataFormat::Json { .. }) && schema.model == KeyModel::Primary {
                names.push("__op".to_string());
            }
            names
        }
    };
    let mapping = map_sources(&schema, &names)?;
    Ok(LoadPlan {
        schema,
        format,
        sources: mapping.sources,
        null_filled: mapping.null_filled,
        has_ops: mapping.has_ops,
        strict_mode,
        max_filter_ratio,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtod_prefix() {
        assert_eq!(strtod("0.25"), 0.25);
        assert_eq!(strtod("0.5abc"), 0.5);
        assert_eq!(strtod("abc"), 0.0);
        assert_eq!(strtod(" 1"), 1.0);
    }
}
