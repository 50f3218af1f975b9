//! Turning load bodies into staged rows: whole-body codecs (`compression`), the CSV readers
//! (plain and enclosed/escaped), the JSON reader (its value parser and JsonPath subset), the
//! streamed JSON counter of count-only ingest, and the row sink that converts, checks, filters
//! and counts rows.

pub mod compression;
pub mod csv;
pub mod csv_enclosed;
pub mod json;
pub mod json_count;
pub mod json_path;
pub mod json_value;
pub mod sink;
