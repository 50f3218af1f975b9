//! Rust `tracing` events to the JVM's logging (SLF4J in Flink), filtered by level on the Rust side
//! so that disabled events never cross JNI.
//!
//! `install` runs once per loaded library copy, on a Java thread: it caches the `JavaVM`, a weak
//! global reference to `NativeLogger` (resolved through the caller's class loader, which native
//! threads could not do under Flink's child-first loading) and its static method id. The reference
//! is weak so that the library's statics never keep a job's class loader alive: a session cluster
//! must be able to collect it, and with it this copy of the library, once the job is gone
//! (`SessionLeakTest`). Native threads are attached as daemon threads the first time they log. A
//! Java exception thrown while logging is cleared: logging never fails the engine.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

use jni::objects::{JClass, JStaticMethodID, JValue, WeakRef};
use jni::signature::{Primitive, ReturnType};
use jni::{JNIEnv, JavaVM};
use once_cell::sync::OnceCell;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

const LOGGER_CLASS: &str = "com/starrocks/connector/flink/natives/NativeLogger";

struct Bridge {
    vm: JavaVM,
    class: WeakRef,
    method: JStaticMethodID,
}

static BRIDGE: OnceCell<Bridge> = OnceCell::new();
/// 0 off, 1 error, 2 warn, 3 info, 4 debug, 5 trace.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);

fn level_number(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Installs the bridge (once) and sets the most verbose level that crosses to Java.
pub fn install(env: &mut JNIEnv<'_>, max_level: u8) -> jni::errors::Result<()> {
    MAX_LEVEL.store(max_level.min(5), Ordering::Relaxed);
    if BRIDGE.get().is_some() {
        return Ok(());
    }
    let class: JClass = env.find_class(LOGGER_CLASS)?;
    let method =
        env.get_static_method_id(&class, "log", "(ILjava/lang/String;Ljava/lang/String;)V")?;
    let bridge = Bridge {
        vm: env.get_java_vm()?,
        class: env
            .new_weak_ref(&class)?
            .ok_or(jni::errors::Error::NullPtr("NativeLogger class"))?,
        method,
    };
    if BRIDGE.set(bridge).is_ok() {
        let _ = tracing::subscriber::set_global_default(JavaSubscriber);
    }
    Ok(())
}

struct JavaSubscriber;

struct MessageVisitor {
    message: String,
    fields: String,
}

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }
}

impl Subscriber for JavaSubscriber {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        level_number(metadata.level()) <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let Some(bridge) = BRIDGE.get() else {
            return;
        };
        let mut visitor = MessageVisitor {
            message: String::new(),
            fields: String::new(),
        };
        event.record(&mut visitor);
        visitor.message.push_str(&visitor.fields);
        let level = level_number(event.metadata().level());
        let target = event.metadata().target();
        let Ok(mut env) = bridge.vm.attach_current_thread_as_daemon() else {
            return;
        };
        let _ = (|| -> jni::errors::Result<()> {
            // Gone once the class loader that loaded this library copy is being collected.
            let Some(class) = bridge.class.upgrade_local(&env)? else {
                return Ok(());
            };
            let class = JClass::from(class);
            let target = env.new_string(target)?;
            let message = env.new_string(&visitor.message)?;
            // SAFETY: the method id belongs to `class` and matches the argument types below.
            unsafe {
                env.call_static_method_unchecked(
                    &class,
                    bridge.method,
                    ReturnType::Primitive(Primitive::Void),
                    &[
                        JValue::Int(level as i32).as_jni(),
                        JValue::Object(&target).as_jni(),
                        JValue::Object(&message).as_jni(),
                    ],
                )?;
            }
            env.delete_local_ref(target)?;
            env.delete_local_ref(message)?;
            env.delete_local_ref(class)?;
            Ok(())
        })();
        if env.exception_check().unwrap_or(false) {
            let _ = env.exception_clear();
        }
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}
