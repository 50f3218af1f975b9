//! Labels and transaction bookkeeping: label generators, the exactly-once committer, and the
//! clean-up of transactions that a crashed attempt left behind.

pub mod committer;
pub mod label;
pub mod lingering;
