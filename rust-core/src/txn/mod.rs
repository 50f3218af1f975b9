//! Labels and transaction bookkeeping.

pub mod label;
