//! The `native` methods of `com.starrocks.connector.flink.natives.NativeBridge`.

use std::collections::BTreeMap;

use jni::objects::{JByteBuffer, JClass, JIntArray, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong, jlongArray, jobjectArray, jstring};
use jni::JNIEnv;

use super::errors::guard;
use super::handles;
use super::interrupt::current_thread_interrupted;
use crate::encode::ColumnMode;
use crate::error::{ErrorKind, SinkError};
use crate::introspect::{describe_table, execute};
use crate::load::transaction::Commit;
use crate::metrics::{HISTOGRAM_NAMES, METRIC_NAMES};
use crate::options::{SinkOptions, Support, OPTION_SPECS};
use crate::txn::committer::TransactionCommitter;
use crate::txn::label::LabelSpace;
use crate::writer::{SinkWriter, TableOptions, WriterContext};

/// `registerTable` flag: a PRIMARY KEY table (rows carry `__op`).
const TABLE_UPSERT_DELETE: jint = 1;

fn string_array(env: &mut JNIEnv<'_>, array: &JObjectArray<'_>) -> Result<Vec<String>, SinkError> {
    let len = env.get_array_length(array)?;
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let item = env.get_object_array_element(array, i)?;
        if item.is_null() {
            return Err(SinkError::new(
                ErrorKind::Config,
                format!("element {i} of a string array is null"),
            ));
        }
        let s: String = env.get_string(&JString::from(item))?.into();
        out.push(s);
    }
    Ok(out)
}

fn int_array(env: &mut JNIEnv<'_>, array: &JIntArray<'_>) -> Result<Vec<usize>, SinkError> {
    if array.is_null() {
        return Ok(Vec::new());
    }
    let len = env.get_array_length(array)? as usize;
    let mut buf = vec![0i32; len];
    env.get_int_array_region(array, 0, &mut buf)?;
    buf.into_iter()
        .map(|v| {
            usize::try_from(v).map_err(|_| {
                SinkError::new(ErrorKind::Internal, format!("negative field position {v}"))
            })
        })
        .collect()
}

fn new_string_array<'l>(
    env: &mut JNIEnv<'l>,
    items: &[Option<&str>],
) -> Result<JObjectArray<'l>, SinkError> {
    let array = env.new_object_array(items.len() as i32, "java/lang/String", JObject::null())?;
    for (i, item) in items.iter().enumerate() {
        if let Some(s) = item {
            let js = env.new_string(s)?;
            env.set_object_array_element(&array, i as i32, js)?;
        }
    }
    Ok(array)
}

fn option_map(
    env: &mut JNIEnv<'_>,
    keys: &JObjectArray<'_>,
    values: &JObjectArray<'_>,
) -> Result<BTreeMap<String, String>, SinkError> {
    let keys = string_array(env, keys)?;
    let values = string_array(env, values)?;
    if keys.len() != values.len() {
        return Err(SinkError::new(
            ErrorKind::Internal,
            "option keys and values differ in length",
        ));
    }
    Ok(keys.into_iter().zip(values).collect())
}

fn jstring_arg(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &str) -> Result<String, SinkError> {
    if s.is_null() {
        return Err(SinkError::new(ErrorKind::Config, format!("{what} is null")));
    }
    Ok(env.get_string(s)?.into())
}

fn non_negative(v: jint, what: &str) -> Result<u32, SinkError> {
    u32::try_from(v)
        .map_err(|_| SinkError::new(ErrorKind::Internal, format!("{what} {v} is negative")))
}

/// Label spaces travel as flat strings: prefix, database, table, subtask, next id.
const SPACE_FIELDS: usize = 5;

fn label_spaces_from(flat: &[String]) -> Result<Vec<LabelSpace>, SinkError> {
    if !flat.len().is_multiple_of(SPACE_FIELDS) {
        return Err(SinkError::new(
            ErrorKind::Internal,
            format!("label space array of {} strings", flat.len()),
        ));
    }
    flat.chunks(SPACE_FIELDS)
        .map(|f| {
            let number = |s: &str, what: &str| {
                s.parse::<u64>().map_err(|_| {
                    SinkError::new(
                        ErrorKind::InvalidData,
                        format!("restored writer state has a bad {what} '{s}'"),
                    )
                })
            };
            Ok(LabelSpace {
                prefix: f[0].clone(),
                database: f[1].clone(),
                table: f[2].clone(),
                subtask: number(&f[3], "subtask")? as u32,
                next_id: number(&f[4], "next id")?,
            })
        })
        .collect()
}

/// Routes the engine's log events to `NativeLogger` up to `max_level` (0 off .. 5 trace).
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_initLogging<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    max_level: jint,
) {
    guard(&mut env, (), |env| {
        super::logging::install(env, max_level.clamp(0, 5) as u8)?;
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_version<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| {
        Ok(env.new_string(env!("CARGO_PKG_VERSION"))?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_validateOptions<
    'l,
>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    keys: JObjectArray<'l>,
    values: JObjectArray<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let map = option_map(env, &keys, &values)?;
        let opts = SinkOptions::from_map(&map)?;
        let warnings: Vec<Option<&str>> = opts.warnings.iter().map(|w| Some(w.as_str())).collect();
        Ok(new_string_array(env, &warnings)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_optionSpecs<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let mut flat: Vec<Option<&str>> = Vec::with_capacity(OPTION_SPECS.len() * 4);
        for s in OPTION_SPECS {
            flat.push(Some(s.key));
            flat.push(s.default);
            let (support, note) = match s.support {
                Support::Engine => ("ENGINE", None),
                Support::Shim => ("SHIM", None),
                Support::NotYet(why) => ("NOT_YET", Some(why)),
                Support::Partial(note) => ("PARTIAL", Some(note)),
            };
            flat.push(Some(support));
            flat.push(note);
        }
        Ok(new_string_array(env, &flat)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_createWriter<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    keys: JObjectArray<'l>,
    values: JObjectArray<'l>,
    frame_version: jint,
    subtask: jint,
    parallelism: jint,
    restored_checkpoint_id: jlong,
    restored_spaces: JObjectArray<'l>,
    fallback_label_prefix: JString<'l>,
) -> jlong {
    guard(&mut env, 0, |env| {
        let map = option_map(env, &keys, &values)?;
        let opts = SinkOptions::from_map(&map)?;
        let ctx = WriterContext {
            subtask: non_negative(subtask, "subtask")?,
            parallelism: non_negative(parallelism, "parallelism")?,
            restored_checkpoint_id: (restored_checkpoint_id >= 0)
                .then_some(restored_checkpoint_id as u64),
            restored_label_spaces: label_spaces_from(&string_array(env, &restored_spaces)?)?,
            fallback_label_prefix: jstring_arg(
                env,
                &fallback_label_prefix,
                "fallback label prefix",
            )?,
        };
        let writer = SinkWriter::new(opts, frame_version, ctx)?;
        Ok(handles::WRITERS.insert(writer))
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_registerTable<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    database: JString<'l>,
    table: JString<'l>,
    columns: JObjectArray<'l>,
    headers: JObjectArray<'l>,
    flags: jint,
    key_fields: JIntArray<'l>,
    column_modes: JIntArray<'l>,
) -> jint {
    guard(&mut env, -1, |env| {
        let writer = handles::WRITERS.get(handle)?;
        let database = jstring_arg(env, &database, "database")?;
        let table = jstring_arg(env, &table, "table")?;
        let columns = if columns.is_null() {
            None
        } else {
            Some(string_array(env, &columns)?)
        };
        let flat = string_array(env, &headers)?;
        if !flat.len().is_multiple_of(2) {
            return Err(SinkError::new(
                ErrorKind::Internal,
                "table headers must come as key/value pairs",
            ));
        }
        let table_options = TableOptions {
            headers: flat
                .chunks(2)
                .map(|kv| (kv[0].clone(), kv[1].clone()))
                .collect(),
            upsert_delete: flags & TABLE_UPSERT_DELETE != 0,
            key_fields: int_array(env, &key_fields)?,
            column_modes: int_array(env, &column_modes)?
                .into_iter()
                .map(|code| {
                    ColumnMode::from_code(code as i32).ok_or_else(|| {
                        SinkError::new(ErrorKind::Internal, format!("unknown column mode {code}"))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(writer.register_table(&database, &table, columns, table_options)? as jint)
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_write<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    buffer: JByteBuffer<'l>,
    len: jint,
) {
    guard(&mut env, (), |env| {
        let writer = handles::WRITERS.get(handle)?;
        if buffer.is_null() {
            return Err(SinkError::new(
                ErrorKind::InvalidData,
                "the row buffer is null",
            ));
        }
        let address = env.get_direct_buffer_address(&buffer)?;
        let capacity = env.get_direct_buffer_capacity(&buffer)?;
        if len < 0 || len as usize > capacity {
            return Err(SinkError::new(
                ErrorKind::InvalidData,
                format!("row buffer length {len} outside its capacity {capacity}"),
            ));
        }
        // SAFETY: `address` is the start of a direct buffer of `capacity` bytes that Java keeps
        // alive (and does not touch) for the duration of this call; `len <= capacity`.
        let frames = unsafe { std::slice::from_raw_parts(address as *const u8, len as usize) };
        writer.write_interruptibly(frames, &mut || current_thread_interrupted(env))
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_flush<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    guard(&mut env, (), |env| {
        handles::WRITERS
            .get(handle)?
            .flush_interruptibly(&mut || current_thread_interrupted(env))
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_close<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        if let Some(writer) = handles::WRITERS.remove(handle) {
            writer.close();
        }
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_metricNames<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let names: Vec<Option<&str>> = METRIC_NAMES.iter().map(|n| Some(*n)).collect();
        Ok(new_string_array(env, &names)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_histogramNames<
    'l,
>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let names: Vec<Option<&str>> = HISTOGRAM_NAMES.iter().map(|n| Some(*n)).collect();
        Ok(new_string_array(env, &names)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_metrics<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jlongArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let values = handles::WRITERS.get(handle)?.metrics();
        let array = env.new_long_array(values.len() as i32)?;
        env.set_long_array_region(&array, 0, &values)?;
        Ok(array.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_liveWriters<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
) -> jint {
    guard(&mut env, 0, |_| Ok(handles::WRITERS.len() as jint))
}

/// Panics on purpose, so that a deployment can verify that native panics become Java exceptions.
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_selfTestPanic<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    message: JString<'l>,
) {
    guard(&mut env, (), |env| {
        let message = jstring_arg(env, &message, "message")?;
        panic!("self-test panic: {message}");
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_loadMode<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jstring {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let mode = format!("{:?}", handles::WRITERS.get(handle)?.mode());
        Ok(env.new_string(mode)?.into_raw())
    })
}

/// Prepared transactions as flat strings: database, table, label.
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_prepareCommit<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let committables = handles::WRITERS
            .get(handle)?
            .prepare_commit_interruptibly(&mut || current_thread_interrupted(env))?;
        let flat: Vec<Option<&str>> = committables
            .iter()
            .flat_map(|c| {
                [
                    Some(c.database.as_str()),
                    Some(c.table.as_str()),
                    Some(c.label.as_str()),
                ]
            })
            .collect();
        Ok(new_string_array(env, &flat)?.into_raw())
    })
}

/// Label spaces as flat strings: prefix, database, table, subtask, next id.
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_labelSpaces<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let spaces = handles::WRITERS.get(handle)?.label_spaces();
        let numbers: Vec<(String, String)> = spaces
            .iter()
            .map(|s| (s.subtask.to_string(), s.next_id.to_string()))
            .collect();
        let flat: Vec<Option<&str>> = spaces
            .iter()
            .zip(&numbers)
            .flat_map(|(s, (subtask, next))| {
                [
                    Some(s.prefix.as_str()),
                    Some(s.database.as_str()),
                    Some(s.table.as_str()),
                    Some(subtask.as_str()),
                    Some(next.as_str()),
                ]
            })
            .collect();
        Ok(new_string_array(env, &flat)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_createCommitter<
    'l,
>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    keys: JObjectArray<'l>,
    values: JObjectArray<'l>,
) -> jlong {
    guard(&mut env, 0, |env| {
        let map = option_map(env, &keys, &values)?;
        let opts = SinkOptions::from_map(&map)?;
        Ok(handles::COMMITTERS.insert(TransactionCommitter::new(&opts)?))
    })
}

/// Commits a prepared transaction; true when it had been committed already.
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_commit<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    database: JString<'l>,
    table: JString<'l>,
    label: JString<'l>,
) -> jboolean {
    guard(&mut env, 0, |env| {
        let committer = handles::COMMITTERS.get(handle)?;
        let database = jstring_arg(env, &database, "database")?;
        let table = jstring_arg(env, &table, "table")?;
        let label = jstring_arg(env, &label, "label")?;
        Ok(match committer.commit(&database, &table, &label)? {
            Commit::Committed => 0,
            Commit::AlreadyCommitted => 1,
        })
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_abort<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    database: JString<'l>,
    table: JString<'l>,
    label: JString<'l>,
) {
    guard(&mut env, (), |env| {
        let committer = handles::COMMITTERS.get(handle)?;
        let database = jstring_arg(env, &database, "database")?;
        let table = jstring_arg(env, &table, "table")?;
        let label = jstring_arg(env, &label, "label")?;
        committer.abort(&database, &table, &label)
    })
}

#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_closeCommitter<
    'l,
>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        handles::COMMITTERS.remove(handle);
        Ok(())
    })
}

/// Runs one SQL conversation (`jdbc-url`) on a runtime of its own, on the calling Java thread.
fn block_on<T>(
    work: impl std::future::Future<Output = Result<T, SinkError>>,
) -> Result<T, SinkError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SinkError::new(ErrorKind::Internal, format!("cannot start a runtime: {e}")))?
        .block_on(work)
}

/// `NativeBridge.executeSql`: one statement through `jdbc-url`; flat strings, the column count of
/// the result set (0 for DDL) first, then the column names, then the values row by row (null for
/// NULL).
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_executeSql<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    keys: JObjectArray<'l>,
    values: JObjectArray<'l>,
    sql: JString<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let map = option_map(env, &keys, &values)?;
        let opts = SinkOptions::from_map(&map)?;
        let sql = jstring_arg(env, &sql, "sql")?;
        let result = block_on(execute(&opts, &sql))?;
        let width = result.columns.len().to_string();
        let mut flat: Vec<Option<&str>> = vec![Some(width.as_str())];
        flat.extend(result.columns.iter().map(|c| Some(c.as_str())));
        for row in &result.rows {
            flat.extend(row.iter().map(Option::as_deref));
        }
        Ok(new_string_array(env, &flat)?.into_raw())
    })
}

/// Describes a table through `jdbc-url`: flat strings, the server version (or null) first, then
/// per column: name, ordinal, key, data type, column size, decimal digits (null when absent).
#[no_mangle]
pub extern "system" fn Java_com_starrocks_connector_flink_natives_NativeBridge_describeTable<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    keys: JObjectArray<'l>,
    values: JObjectArray<'l>,
    database: JString<'l>,
    table: JString<'l>,
) -> jobjectArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let map = option_map(env, &keys, &values)?;
        let opts = SinkOptions::from_map(&map)?;
        let database = jstring_arg(env, &database, "database")?;
        let table = jstring_arg(env, &table, "table")?;
        let d = block_on(describe_table(&opts, &database, &table))?;
        let ordinals: Vec<String> = d.columns.iter().map(|c| c.ordinal.to_string()).collect();
        let mut flat: Vec<Option<&str>> = vec![d.version.as_deref()];
        for (c, ordinal) in d.columns.iter().zip(&ordinals) {
            flat.extend([
                Some(c.name.as_str()),
                Some(ordinal.as_str()),
                Some(c.key.as_str()),
                Some(c.data_type.as_str()),
                c.column_size.as_deref(),
                c.decimal_digits.as_deref(),
            ]);
        }
        Ok(new_string_array(env, &flat)?.into_raw())
    })
}
