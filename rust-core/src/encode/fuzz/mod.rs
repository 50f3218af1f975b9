//! Property-based fuzzing of row frames and their encoders (proptest, stable toolchain).
//! `PROPTEST_CASES` sets the number of cases of every property (default 256).

mod decode;
mod formats;
mod model;
mod oracle;
