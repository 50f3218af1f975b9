//! The row sink of one load: takes parsed records (CSV fields, JSON objects or jsonpath values),
//! converts each value into the staged columns per the load plan (sources, then `columns`
//! derivations, then NULL/default fills), applies strict mode and NOT NULL (spec §8.5) and the
//! `where` filter, counts total/loaded/filtered/unselected rows (§8.6) and collects the error-log
//! lines of filtered rows (§2.6). A row is all-or-nothing: a failing value undoes the row's
//! partial writes. The plain CSV path without derivations or `where` stays a tight loop.
//! In count-only ingest (`Ingest::CountOnly`) every record handed in is a loaded row, unconverted.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::data::json_path::JsonPath;
use crate::data::json_value::JsonValue;
use crate::load::columns::{Derivation, Expr, Target};
use crate::load::plan::{DataFormat, LoadPlan};
use crate::load::where_clause::Predicate;
use crate::storage::schema::{TableSchema, CURRENT_TIMESTAMP};
use crate::storage::table::{StagedRows, OP_DELETE, OP_UPSERT};
use crate::types::binary::hex_decode_binary;
use crate::types::convert::Input;

/// Error-log lines kept per load (the count of filtered rows is always exact).
pub const MAX_ERROR_LINES: usize = 50;
/// In discard mode, staged rows are dropped every this many rows.
const DISCARD_BATCH_ROWS: usize = 8192;

/// What a load does with its rows (`EmulatorConfig::discard` / `count_only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingest {
    /// Convert, check and stage rows; they are stored at publish.
    Store,
    /// Convert, check and count rows like `Store`, store nothing.
    Discard,
    /// Only count the body's records (the readers still check its structure): every record is
    /// a loaded row, no value is converted or checked, `where` is not evaluated, nothing staged.
    CountOnly,
}

impl Ingest {
    /// `count_only` wins over `discard`.
    pub fn of(config: &crate::config::EmulatorConfig) -> Ingest {
        if config.count_only {
            Ingest::CountOnly
        } else if config.discard {
            Ingest::Discard
        } else {
            Ingest::Store
        }
    }
}

/// Row counters of a load.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub total: u64,
    pub loaded: u64,
    pub filtered: u64,
    pub unselected: u64,
}

/// Converts records into staged rows.
pub struct RowSink {
    schema: Arc<TableSchema>,
    sources: Vec<Target>,
    derived: Vec<Derivation>,
    null_filled: Vec<usize>,
    default_filled: Vec<(usize, String)>,
    where_clause: Option<Predicate>,
    strict: bool,
    ingest: Ingest,
    staged: StagedRows,
    counters: Counters,
    error_lines: Vec<String>,
    /// JSON key → index into `sources` (exact names).
    json_exact: HashMap<String, usize>,
    /// JSON key lower-cased → index into `sources` (fallback).
    json_folded: HashMap<String, usize>,
    /// Suffix of CSV error lines describing the delimiters.
    csv_delimiters: String,
}

fn printable_delimiter(bytes: &[u8]) -> String {
    if bytes.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        bytes.iter().map(|b| format!("\\x{b:02x}")).collect()
    }
}

fn describe_row(raw: &[u8]) -> String {
    const MAX: usize = 1000;
    let text = String::from_utf8_lossy(&raw[..raw.len().min(MAX)]).into_owned();
    if raw.len() > MAX {
        format!("{text}...")
    } else {
        text
    }
}

impl RowSink {
    pub fn new(plan: &LoadPlan, ingest: Ingest) -> RowSink {
        let mut json_exact = HashMap::new();
        let mut json_folded = HashMap::new();
        for (i, (name, _)) in plan.sources.iter().enumerate() {
            json_exact.entry(name.clone()).or_insert(i);
            json_folded.entry(name.to_lowercase()).or_insert(i);
        }
        let csv_delimiters = match &plan.format {
            DataFormat::Csv(f) => format!(
                "Column delimiter: {},Row delimiter: {}",
                printable_delimiter(&f.column_separator),
                printable_delimiter(&f.row_delimiter)
            ),
            DataFormat::Json(_) => String::new(),
        };
        let mut staged = StagedRows::new(&plan.schema, plan.has_ops);
        staged.mode = plan.mode.clone();
        let default_filled = plan
            .default_filled
            .iter()
            .map(|(c, text)| {
                if text.eq_ignore_ascii_case(CURRENT_TIMESTAMP) {
                    (*c, crate::types::datetime::now_text())
                } else {
                    (*c, text.clone())
                }
            })
            .collect();
        RowSink {
            schema: plan.schema.clone(),
            sources: plan.sources.iter().map(|(_, t)| *t).collect(),
            derived: plan.derived.clone(),
            null_filled: plan.null_filled.clone(),
            default_filled,
            where_clause: plan.where_clause.clone(),
            strict: plan.strict_mode,
            ingest,
            staged,
            counters: Counters::default(),
            error_lines: Vec::new(),
            json_exact,
            json_folded,
            csv_delimiters,
        }
    }

    pub fn counters(&self) -> Counters {
        self.counters
    }

    pub fn error_lines(&self) -> &[String] {
        &self.error_lines
    }

    /// The staged rows (empty in discard and count-only modes).
    pub fn into_staged(self) -> StagedRows {
        self.staged
    }

    /// Whether rows are only counted (`Ingest::CountOnly`).
    pub fn count_only(&self) -> bool {
        self.ingest == Ingest::CountOnly
    }

    /// Count-only ingest: `n` records are loaded rows.
    pub fn count_rows(&mut self, n: u64) {
        self.counters.total += n;
        self.counters.loaded += n;
    }

    /// Count-only ingest: `n` more filtered JSON rows whose error-log lines would not be kept
    /// (the log already holds `MAX_ERROR_LINES`).
    pub fn count_filtered(&mut self, n: u64) {
        self.counters.total += n;
        self.counters.filtered += n;
    }

    fn log_error(&mut self, line: String) {
        if self.error_lines.len() < MAX_ERROR_LINES {
            self.error_lines.push(line);
        }
    }

    /// Counts a filtered CSV record.
    fn reject_csv(&mut self, reason: &str, record: &[u8]) {
        self.counters.filtered += 1;
        if self.error_lines.len() < MAX_ERROR_LINES {
            let reason = reason.trim_end_matches('.');
            let line = format!(
                "Error: {reason}. {}.. Row: {}",
                self.csv_delimiters,
                describe_row(record)
            );
            self.log_error(line);
        }
    }

    /// Counts a filtered JSON document or object (data-quality error, §8.2).
    pub fn reject_json(&mut self, reason: &str, raw: &str) {
        self.counters.total += 1;
        self.counters.filtered += 1;
        if self.error_lines.len() < MAX_ERROR_LINES {
            let reason = reason.trim_end_matches('.');
            let line = format!("Error: {reason}. Row: {}", describe_row(raw.as_bytes()));
            self.log_error(line);
        }
    }

    /// Completes a converted row: op, NULL/default fills, the `where` filter. An error (a default
    /// that does not convert) filters the row; the caller undoes it.
    fn finish_row(&mut self, base: usize, op: u8) -> Result<(), String> {
        if let Some(ops) = &mut self.staged.ops {
            ops.push(op);
        }
        for &c in &self.null_filled {
            self.staged.columns[c].push_null();
        }
        for i in 0..self.default_filled.len() {
            let (c, text) = &self.default_filled[i];
            let (c, text) = (*c, text.clone());
            self.put(c, Some(Input::Text(text.as_bytes())))?;
        }
        let selected = match &self.where_clause {
            None => true,
            Some(predicate) => {
                let columns = &self.staged.columns;
                predicate.eval(&|c| columns[c].get(base)) == Some(true)
            }
        };
        if !selected {
            self.staged.truncate(base);
            self.counters.unselected += 1;
            return Ok(());
        }
        self.counters.loaded += 1;
        if self.ingest == Ingest::Discard && self.staged.len() >= DISCARD_BATCH_ROWS {
            self.staged.clear();
        }
        Ok(())
    }

    /// Applies the `columns` derivations of the current row; `input_of(i)` is source i's value.
    fn derive<'v>(
        &mut self,
        input_of: &dyn Fn(usize) -> Option<Input<'v>>,
        op: &mut u8,
    ) -> Result<(), String> {
        for i in 0..self.derived.len() {
            let Derivation { target, expr } = self.derived[i].clone();
            let literal;
            let decoded;
            let input = match &expr {
                Expr::Source(j) => input_of(*j),
                Expr::Literal(text) => {
                    literal = text.clone();
                    Some(Input::Text(literal.as_bytes()))
                }
                Expr::HexDecodeBinary(j) => match input_of(*j) {
                    None => None,
                    Some(source) => {
                        decoded = hex_decode_binary(source.as_text().unwrap_or_default());
                        Some(Input::Binary(&decoded))
                    }
                },
                Expr::Null => None,
                Expr::OpConst(o) => {
                    *op = *o;
                    continue;
                }
            };
            match target {
                Target::Column(c) => self.put(c, input)?,
                Target::Op => *op = Self::parse_op(input)?,
                Target::Skip => {}
            }
        }
        Ok(())
    }

    /// Writes one value of the current row; an error is the reason to filter the row.
    fn put(&mut self, column: usize, input: Option<Input<'_>>) -> Result<(), String> {
        let def = &self.schema.columns[column];
        let col = &mut self.staged.columns[column];
        let Some(input) = input else {
            if def.nullable {
                col.push_null();
                return Ok(());
            }
            return Err(format!("NULL value in non-nullable column '{}'", def.name));
        };
        // Non-strict: an element of an ARRAY/MAP/STRUCT value that does not convert becomes NULL
        // (`types::nested`); a bad value as a whole is handled below like a bad scalar.
        let pushed = if self.strict {
            col.push(&input)
        } else {
            col.push_lenient(&input)
        };
        match pushed {
            Ok(()) => Ok(()),
            Err(e) if self.strict => Err(format!(
                "Value '{}' cannot be converted to {} for column '{}' ({e}) in strict mode",
                input.describe(),
                def.ty,
                def.name
            )),
            Err(_) if def.nullable => {
                col.push_null();
                Ok(())
            }
            Err(e) => Err(format!(
                "NULL value in non-nullable column '{}': value '{}' cannot be converted to {} ({e})",
                def.name,
                input.describe(),
                def.ty
            )),
        }
    }

    fn parse_op(input: Option<Input<'_>>) -> Result<u8, String> {
        let text: Cow<'_, str> = match input {
            None => return Ok(OP_UPSERT),
            Some(Input::Text(b)) => String::from_utf8_lossy(b),
            Some(Input::JsonString(s)) | Some(Input::JsonNumber(s)) => Cow::Borrowed(s),
            Some(Input::JsonBool(b)) => Cow::Borrowed(if b { "1" } else { "0" }),
            Some(other) => return Err(format!("Invalid __op value '{}'", other.describe())),
        };
        match text.trim() {
            "0" => Ok(OP_UPSERT),
            "1" => Ok(OP_DELETE),
            other => Err(format!(
                "Invalid __op value '{other}', must be 0 (upsert) or 1 (delete)"
            )),
        }
    }

    /// One CSV record split into fields: `fields` are byte ranges of `values` (the record itself
    /// for plain CSV, the unquoted bytes for enclosed CSV); `record` is the raw text.
    pub fn csv_record(&mut self, record: &[u8], values: &[u8], fields: &[(usize, usize)]) {
        if self.count_only() {
            self.count_rows(1);
            return;
        }
        self.counters.total += 1;
        if fields.len() != self.sources.len() {
            let reason = format!(
                "Value count does not match column count. Expect {}, but got {}.",
                self.sources.len(),
                fields.len()
            );
            self.reject_csv(&reason, record);
            return;
        }
        if std::str::from_utf8(record).is_err() {
            self.reject_csv("Invalid UTF-8 row", record);
            return;
        }
        let base = self.staged.len();
        let mut op = OP_UPSERT;
        let input_of = |i: usize| -> Option<Input<'_>> {
            let (start, end) = fields[i];
            let field = &values[start..end];
            if field == b"\\N" {
                None
            } else {
                Some(Input::Text(field))
            }
        };
        for i in 0..fields.len() {
            let result = match self.sources[i] {
                Target::Column(c) => self.put(c, input_of(i)),
                Target::Op => Self::parse_op(input_of(i)).map(|o| op = o),
                Target::Skip => Ok(()),
            };
            if let Err(reason) = result {
                self.staged.truncate(base);
                self.reject_csv(&reason, record);
                return;
            }
        }
        let result = if self.derived.is_empty() {
            Ok(())
        } else {
            self.derive(&input_of, &mut op)
        }
        .and_then(|()| self.finish_row(base, op));
        if let Err(reason) = result {
            self.staged.truncate(base);
            self.reject_csv(&reason, record);
        }
    }

    fn json_source(&self, key: &str) -> Option<usize> {
        self.json_exact
            .get(key)
            .or_else(|| self.json_folded.get(&key.to_lowercase()))
            .copied()
    }

    /// One JSON object (a row), matched by key. `raw` is its text for the error log.
    pub fn json_object(&mut self, members: &[(Cow<'_, str>, JsonValue<'_>)], raw: &str) {
        if self.count_only() {
            self.count_rows(1);
            return;
        }
        let mut slots: Vec<Option<&JsonValue<'_>>> = vec![None; self.sources.len()];
        for (key, value) in members {
            if let Some(i) = self.json_source(key) {
                slots[i] = Some(value);
            }
        }
        self.json_row(&slots, raw);
    }

    /// One row in jsonpaths mode: source i is the value at `paths[i]` (missing = NULL).
    pub fn json_paths(&mut self, value: &JsonValue<'_>, paths: &[JsonPath], raw: &str) {
        if self.count_only() {
            self.count_rows(1);
            return;
        }
        let slots: Vec<Option<&JsonValue<'_>>> = paths.iter().map(|p| p.find(value)).collect();
        self.json_row(&slots, raw);
    }

    fn json_row(&mut self, slots: &[Option<&JsonValue<'_>>], raw: &str) {
        self.counters.total += 1;
        let base = self.staged.len();
        let mut op = OP_UPSERT;
        let input_of = |i: usize| -> Option<Input<'_>> {
            slots.get(i).copied().flatten().and_then(|v| match v {
                JsonValue::Null => None,
                JsonValue::Bool(b) => Some(Input::JsonBool(*b)),
                JsonValue::Number(n) => Some(Input::JsonNumber(n)),
                JsonValue::String(s) => Some(Input::JsonString(s)),
                nested => Some(Input::JsonNested(nested)),
            })
        };
        let mut result = Ok(());
        for i in 0..self.sources.len() {
            result = match self.sources[i] {
                Target::Column(c) => self.put(c, input_of(i)),
                Target::Op => Self::parse_op(input_of(i)).map(|o| op = o),
                Target::Skip => Ok(()),
            };
            if result.is_err() {
                break;
            }
        }
        let result = result
            .and_then(|()| {
                if self.derived.is_empty() {
                    Ok(())
                } else {
                    self.derive(&input_of, &mut op)
                }
            })
            .and_then(|()| self.finish_row(base, op));
        if let Err(reason) = result {
            self.staged.truncate(base);
            self.counters.total -= 1;
            self.reject_json(&reason, raw);
        }
    }
}
