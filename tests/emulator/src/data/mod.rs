//! Turning load bodies into staged rows: the CSV reader, the JSON reader (and its value parser),
//! and the row sink that converts, checks and counts rows.

pub mod csv;
pub mod json;
pub mod json_value;
pub mod sink;
