//! The ONLY module that knows JNI. It converts arguments, owns the table of native handles, and
//! turns every Rust error and panic into a Java `StarRocksException`; it never aborts the JVM.
//!
//! Native methods are declared by `com.starrocks.connector.flink.natives.NativeBridge`.
//! Handles are opaque `long` ids into a registry (not raw pointers), so a stale or closed handle
//! is an exception, never undefined behaviour.

mod bridge;
mod errors;
mod handles;
mod interrupt;
mod logging;
