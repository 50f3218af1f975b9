//! Mapping of engine errors and panics to `StarRocksException(kind, message)`.

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use jni::objects::{JThrowable, JValue};
use jni::JNIEnv;

use crate::error::{ErrorKind, SinkError};

const EXCEPTION_CLASS: &str = "com/starrocks/connector/flink/natives/StarRocksException";

thread_local! {
    /// Location and backtrace of the last panic on this thread, recorded by the panic hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Installs a panic hook that records where a panic happened (with a backtrace) instead of
/// printing to stderr; the JNI guard puts it into the Java exception.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let backtrace = std::backtrace::Backtrace::force_capture();
            LAST_PANIC.with(|p| {
                *p.borrow_mut() = Some(format!("at {location}\nnative backtrace:\n{backtrace}"))
            });
        }));
    });
}

fn panic_error(payload: Box<dyn Any + Send>) -> SinkError {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let detail = LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_default();
    SinkError::new(
        ErrorKind::Internal,
        format!("panic in the native StarRocks engine: {what} {detail}"),
    )
}

impl From<jni::errors::Error> for SinkError {
    fn from(e: jni::errors::Error) -> Self {
        SinkError::new(ErrorKind::Internal, format!("JNI call failed: {e}"))
    }
}

/// Throws `e` as a `StarRocksException` unless a Java exception is already pending.
pub fn throw(env: &mut JNIEnv<'_>, e: &SinkError) {
    if env.exception_check().unwrap_or(false) {
        return;
    }
    let thrown = (|| -> jni::errors::Result<()> {
        let kind = env.new_string(e.kind().name())?;
        let message = env.new_string(e.message())?;
        let obj = env.new_object(
            EXCEPTION_CLASS,
            "(Ljava/lang/String;Ljava/lang/String;)V",
            &[JValue::Object(&kind), JValue::Object(&message)],
        )?;
        env.throw(JThrowable::from(obj))
    })();
    if thrown.is_err() {
        let _ = env.exception_clear();
        let _ = env.throw_new(
            "java/lang/RuntimeException",
            format!("{}: {}", e.kind().name(), e.message()),
        );
    }
}

/// Runs `f`, turning an `Err` or a panic into a pending Java exception and `fallback`.
pub fn guard<'local, T>(
    env: &mut JNIEnv<'local>,
    fallback: T,
    f: impl FnOnce(&mut JNIEnv<'local>) -> Result<T, SinkError>,
) -> T {
    install_panic_hook();
    match catch_unwind(AssertUnwindSafe(|| f(env))) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            throw(env, &e);
            fallback
        }
        Err(payload) => {
            throw(env, &panic_error(payload));
            fallback
        }
    }
}
