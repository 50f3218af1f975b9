//! Stream Load request headers (spec §2.2) and their validation, in the two places the BE checks
//! them: `early` (header phase before the transaction begins: format, compression, JSON size,
//! body size against `streaming_load_max_mb`, timeout) and `plan_from_headers` (after begin,
//! like the BE's put request to the FE planner: delimiters, enclose/escape, columns, where,
//! jsonpaths, strict mode, filter ratio, memory limits, partial update, merge condition,
//! unsupported features). `fingerprint` is what a
//! transaction compares between its loads ("load request not equal last.").

use std::sync::Arc;

use super::columns::{map_columns, parse_columns_header, Item};
use super::plan::{parse_delimiter, CsvFormat, DataFormat, JsonFormat, LoadPlan};
use super::where_clause::parse_where;
use crate::data::compression::Codec;
use crate::data::json_path::JsonPath;
use crate::http::request::{BodyFraming, RequestHead};
use crate::storage::schema::{KeyModel, TableSchema};
use crate::storage::upsert::ApplyMode;
use crate::types::ColumnType;

/// Default load timeout, FE `stream_load_default_timeout_second`.
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;
/// FE `min_load_timeout_second` .. `max_stream_load_timeout_second`.
pub const MIN_TIMEOUT_SECS: u64 = 1;
pub const MAX_TIMEOUT_SECS: u64 = 259_200;
/// BE `streaming_load_max_batch_size_mb` for JSON bodies without `ignore_json_size`.
pub const MAX_JSON_BODY_BYTES: u64 = 100 * 1024 * 1024;

/// The body format named by the `format` header (compressed CSV is CSV with a codec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatName {
    Csv,
    Json,
}

/// What the header phase needs before the transaction begins.
#[derive(Debug, Clone)]
pub struct EarlyParams {
    pub format: FormatName,
    pub codec: Option<Codec>,
    pub timeout_secs: u64,
}

/// Where the headers come from: `/api/transaction/load` reads `partial_update` differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderFlavor {
    StreamLoad,
    TransactionLoad,
}

/// The message for `compression` and `Content-Encoding` sent together.
pub const BOTH_COMPRESSION_HEADERS: &str =
    "Only one of http header content-encoding and compression can be set";

fn is_true(value: &str) -> bool {
    value.eq_ignore_ascii_case("true")
}

/// The message for a `Content-Length` above `streaming_load_max_mb` (spec §1.5; the text after
/// the limit is the BE's hint [inf]).
pub fn body_too_large(body_bytes: u64, limit_bytes: u64) -> String {
    format!(
        "body size {body_bytes} exceed limit: {limit_bytes}. You can increase the limit by setting streaming_load_max_mb in be.conf."
    )
}

/// Header-phase checks (spec §2.3 step 4). `max_body_mb` is the BE's `streaming_load_max_mb`,
/// checked against a declared `Content-Length` (after the JSON size check, as the BE does).
pub fn early(
    head: &RequestHead,
    framing: BodyFraming,
    max_body_mb: u64,
) -> Result<EarlyParams, String> {
    let format_text = head.non_empty_header("format").unwrap_or("csv").to_string();
    let (format, mut codec) = match format_text.to_ascii_lowercase().as_str() {
        "csv" => (FormatName::Csv, None),
        "json" => (FormatName::Json, None),
        other => match Codec::from_format(other) {
            Some(codec) => (FormatName::Csv, Some(codec)),
            None => return Err(format!("unknown data format, format={format_text}")),
        },
    };
    let compression = head.non_empty_header("compression");
    let content_encoding = head.non_empty_header("content-encoding");
    if compression.is_some() && content_encoding.is_some() {
        return Err(BOTH_COMPRESSION_HEADERS.to_string());
    }
    // JSON bodies are decompressed by `compression`/`Content-Encoding`; CSV bodies only by the
    // `format` codec (spec §2.2 note: `format: lz4` + `compression: lz4_frame` decompresses once).
    if format == FormatName::Json {
        if let Some(value) = compression.or(content_encoding) {
            codec = Some(Codec::from_compression(value)?);
        }
    }
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
    if let BodyFraming::Length(n) = framing {
        let limit = max_body_mb.saturating_mul(1024 * 1024);
        if n > limit {
            return Err(body_too_large(n, limit));
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
        codec,
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

/// Headers the emulator recognises but does not emulate; present → `Fail`.
const NOT_EMULATED: &[&str] = &["enable_merge_commit", "partitions", "temporary_partitions"];

/// Headers whose parsed value must be the same on every load of a transaction.
const DATA_HEADERS: &[&str] = &[
    "format",
    "column_separator",
    "row_delimiter",
    "columns",
    "where",
    "max_filter_ratio",
    "strict_mode",
    "timezone",
    "jsonpaths",
    "json_root",
    "strip_outer_array",
    "skip_header",
    "trim_space",
    "enclose",
    "escape",
    "partial_update",
    "partial_update_mode",
    "merge_condition",
    "compression",
    "content-encoding",
    "negative",
    "partitions",
    "temporary_partitions",
];

/// The data headers of a request, for "load request not equal last." (spec §5.5).
pub fn fingerprint(head: &RequestHead) -> Vec<(&'static str, String)> {
    DATA_HEADERS
        .iter()
        .filter_map(|name| head.non_empty_header(name).map(|v| (*name, v.to_string())))
        .collect()
}

/// A single-byte option (`enclose`, `escape`): the first byte is used.
fn single_byte(head: &RequestHead, name: &str) -> Option<u8> {
    head.non_empty_header(name)
        .and_then(|v| v.as_bytes().first().copied())
}

fn csv_format(head: &RequestHead) -> Result<CsvFormat, String> {
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
    Ok(CsvFormat {
        column_separator,
        row_delimiter,
        skip_header,
        trim_space,
        enclose: single_byte(head, "enclose"),
        escape: single_byte(head, "escape"),
    })
}

fn json_format(head: &RequestHead) -> Result<JsonFormat, String> {
    let json_root = head
        .non_empty_header("json_root")
        .map(JsonPath::parse)
        .transpose()?;
    let jsonpaths = head
        .non_empty_header("jsonpaths")
        .map(JsonPath::parse_list)
        .transpose()?;
    Ok(JsonFormat {
        strip_outer_array: head.header("strip_outer_array").is_some_and(is_true),
        json_root,
        jsonpaths,
    })
}

fn partial_update_flag(head: &RequestHead, flavor: HeaderFlavor) -> Result<bool, String> {
    match flavor {
        HeaderFlavor::StreamLoad => parse_bool_header(
            head,
            "partial_update",
            "Invalid partial update flag format. Must be bool type",
        ),
        // `/api/transaction/load` recognises only the exact lowercase `true` (spec §2.2).
        HeaderFlavor::TransactionLoad => Ok(head.header("partial_update") == Some("true")),
    }
}

/// Checks `merge_condition` like the FE planner (spec §8.8).
fn merge_condition(
    head: &RequestHead,
    schema: &TableSchema,
    covered: &[bool],
    partial: bool,
) -> Result<Option<usize>, String> {
    let Some(name) = head.non_empty_header("merge_condition") else {
        return Ok(None);
    };
    if schema.model != KeyModel::Primary {
        return Err(format!(
            "Conditional update only support primary key table {}",
            schema.name
        ));
    }
    let column = schema
        .find_column(name)
        .filter(|&c| !partial || covered[c])
        .ok_or_else(|| {
            format!(
                "Merge condition column {name} does not exist. If you are doing partial update with condition update, please check condition column is in the given update columns. Otherwise please check condition column is in table {}",
                schema.name
            )
        })?;
    if column < schema.key_count {
        return Err(format!(
            "Merge condition column {name} should not be primary key!"
        ));
    }
    let ty = &schema.columns[column].ty;
    if ty.is_nested()
        || matches!(
            ty,
            ColumnType::Char(_)
                | ColumnType::Varchar(_)
                | ColumnType::String
                | ColumnType::Json
                | ColumnType::VarBinary(_)
        )
    {
        return Err(
            "Merge condition column has invalid type maybe bitmap/hll/percentile/json/varchar!"
                .to_string(),
        );
    }
    Ok(Some(column))
}

/// Builds the load plan from the headers and the table (spec §2.3 step 7).
pub fn plan_from_headers(
    head: &RequestHead,
    early: &EarlyParams,
    schema: Arc<TableSchema>,
    flavor: HeaderFlavor,
) -> Result<LoadPlan, String> {
    let strict_mode = parse_bool_header(
        head,
        "strict_mode",
        "Invalid strict mode format. Must be bool type",
    )?;
    let partial_update = partial_update_flag(head, flavor)?;
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
    if partial_update && schema.model != KeyModel::Primary {
        return Err("Only primary key table support partial update".to_string());
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
        FormatName::Csv => DataFormat::Csv(csv_format(head)?),
        FormatName::Json => DataFormat::Json(json_format(head)?),
    };

    let mut items: Vec<Item> = match head.non_empty_header("columns") {
        Some(v) => parse_columns_header(v)?,
        None => Vec::new(),
    };
    // Without file field names, the sources are the table's columns in order.
    if !items.iter().any(|i| matches!(i, Item::Source(_))) {
        let mut all: Vec<Item> = schema
            .column_names()
            .into_iter()
            .map(Item::Source)
            .collect();
        all.append(&mut items);
        items = all;
    }
    // JSON into a PRIMARY KEY table picks `__op` up from each object by itself (spec §8.4).
    let auto_op = matches!(&format, DataFormat::Json(j) if j.jsonpaths.is_none())
        && schema.model == KeyModel::Primary
        && !items.iter().any(|i| match i {
            Item::Source(n) => n.eq_ignore_ascii_case("__op"),
            Item::Assign { target, .. } => target.eq_ignore_ascii_case("__op"),
        });
    if auto_op {
        items.push(Item::Source("__op".to_string()));
    }
    let mapping = map_columns(&schema, &items)?;
    if let DataFormat::Json(JsonFormat {
        jsonpaths: Some(paths),
        ..
    }) = &format
    {
        if paths.len() != mapping.sources.len() {
            return Err(format!(
                "The number of jsonpaths ({}) does not match the number of source columns ({})",
                paths.len(),
                mapping.sources.len()
            ));
        }
    }
    let mut null_filled = Vec::new();
    let mut default_filled = Vec::new();
    for (idx, col) in schema.columns.iter().enumerate() {
        if mapping.covered[idx] {
            continue;
        }
        if partial_update && idx >= schema.key_count {
            // Not applied: the existing value (or the default of a new row) stays.
            null_filled.push(idx);
        } else if let Some(default) = &col.default {
            default_filled.push((idx, default.clone()));
        } else if col.nullable {
            null_filled.push(idx);
        } else {
            return Err(format!("Column has no default value. column: {}", col.name));
        }
    }
    let where_clause = head
        .non_empty_header("where")
        .map(|w| parse_where(w, &schema))
        .transpose()?;
    let mode = ApplyMode {
        partial: partial_update.then(|| mapping.covered.clone()),
        merge_condition: merge_condition(head, &schema, &mapping.covered, partial_update)?,
    };
    Ok(LoadPlan {
        schema,
        format,
        compression: early.codec,
        sources: mapping.sources,
        derived: mapping.derived,
        null_filled,
        default_filled,
        has_ops: mapping.has_ops,
        strict_mode,
        max_filter_ratio,
        where_clause,
        mode,
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
