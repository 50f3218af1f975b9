//! The engine of the StarRocks Flink connector.
//!
//! Java hands rows over as frames ([`encode::frame`]); the engine encodes them as CSV or JSON
//! ([`encode`]), buffers them per table with bounded memory ([`buffer`]), and loads them into
//! StarRocks with Stream Load ([`load`]). [`writer::SinkWriter`] is what a Flink writer drives.
//! [`jni`] is the only module that knows the JVM.

pub mod buffer;
pub mod encode;
pub mod error;
pub mod introspect;
mod jni;
pub mod load;
pub mod metrics;
pub mod options;
pub mod redact;
pub mod txn;
pub mod writer;
