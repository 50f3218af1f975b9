//! Whether the Java thread that called into the engine was interrupted: Flink interrupts a task's
//! thread when it cancels the task, and the engine's blocking calls ask this while they wait, so
//! that a cancelled job does not wait for a StarRocks that does not answer.

use jni::objects::JObject;
use jni::JNIEnv;

/// `Thread.currentThread().isInterrupted()` (the flag stays set); false if the JVM cannot say.
pub fn current_thread_interrupted(env: &mut JNIEnv<'_>) -> bool {
    let asked = env.with_local_frame(4, |env| -> jni::errors::Result<bool> {
        let thread: JObject = env
            .call_static_method(
                "java/lang/Thread",
                "currentThread",
                "()Ljava/lang/Thread;",
                &[],
            )?
            .l()?;
        env.call_method(&thread, "isInterrupted", "()Z", &[])?.z()
    });
    match asked {
        Ok(interrupted) => interrupted,
        Err(_) => {
            let _ = env.exception_clear();
            false
        }
    }
}
