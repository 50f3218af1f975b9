//! Spec §6.7 with real clients: the `mariadb` command-line client (Debian `mariadb-client`) and
//! MySQL Connector/J 8 (`com.mysql.cj.jdbc.Driver`, what the Flink connector loads) and 5.1.49
//! (the driver upstream bundles into its shaded jar), all with a password user so the
//! `mysql_native_password` scramble is checked by real implementations. Each test skips with a
//! message when its client is not available: `mariadb` must be on the PATH; the JDBC test needs
//! `javac`/`java` and the driver jars, taken from `$STARROCKS_EMULATOR_TEST_CACHE` or
//! `~/.cache/starrocks-emulator-tests`, or downloaded there once from Maven Central with `curl`.
//! Every external program runs with a time limit. With `STARROCKS_REQUIRE_CLIENTS=1` (set by the
//! project's test command, so CI) a missing client is a failure instead of a skip.

mod s6_7_mysql_support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use s6_7_mysql_support::{installed, run_bounded};
use starrocks_emulator::{Emulator, EmulatorConfig};

const MAVEN: &str = "https://repo1.maven.org/maven2";
/// Connector/J 8 (required for the JDBC test) and 5.1.49 (checked when available).
const CONNECTOR_J_8: &str = "com/mysql/mysql-connector-j/8.4.0/mysql-connector-j-8.4.0.jar";
const CONNECTOR_J_5: &str = "mysql/mysql-connector-java/5.1.49/mysql-connector-java-5.1.49.jar";
const LIMIT: Duration = Duration::from_secs(120);

/// Skips the test with `why`, or fails it when the clients are required.
fn skip(why: &str) {
    if std::env::var_os("STARROCKS_REQUIRE_CLIENTS").is_some_and(|v| v == "1") {
        panic!("required client missing: {why}");
    }
    eprintln!("SKIPPED: {why}");
}

fn emulator() -> Emulator {
    let config = EmulatorConfig {
        users: vec![
            ("root".to_string(), String::new()),
            ("alice".to_string(), "s3cret!".to_string()),
        ],
        ..EmulatorConfig::default()
    };
    let emu = Emulator::start(config).expect("start");
    emu.sql("CREATE DATABASE db").expect("db");
    emu
}

fn mariadb(emu: &Emulator, user: &str, password: &str, sql: &str) -> s6_7_mysql_support::Bounded {
    let mut command = Command::new("mariadb");
    command.args([
        "--protocol=TCP",
        "-h",
        "127.0.0.1",
        "-P",
        &emu.mysql_addr().port().to_string(),
        "-u",
        user,
        &format!("-p{password}"),
        "--skip-ssl",
        "--batch",
        "--connect-timeout=10",
        "-e",
        sql,
    ]);
    run_bounded(command, LIMIT).expect("run mariadb")
}

#[test]
fn the_mariadb_client_connects_queries_and_runs_ddl() {
    if !installed("mariadb") {
        skip("the `mariadb` client is not installed (apt-get install mariadb-client)");
        return;
    }
    let emu = emulator();
    let run = mariadb(
        &emu,
        "alice",
        "s3cret!",
        "select current_version() as ver; \
         CREATE TABLE db.t (id BIGINT NOT NULL, name VARCHAR(20)) PRIMARY KEY (id) DISTRIBUTED BY HASH(id) BUCKETS 1; \
         ALTER TABLE db.t ADD COLUMN score INT; \
         SELECT COLUMN_NAME, COLUMN_KEY, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 't'; \
         use db; show tables; select count(*) from t;",
    );
    assert!(run.success(), "mariadb failed: {}", run.stderr());
    assert_eq!(
        run.stdout(),
        "ver\n3.3.5-emulator\n\
         COLUMN_NAME\tCOLUMN_KEY\tDATA_TYPE\nid\tPRI\tbigint\nname\t\tvarchar\nscore\t\tint\n\
         Tables_in_db\nt\n\
         count(*)\n0\n"
    );
    // Errors come back with their code and SQLSTATE.
    let failed = mariadb(&emu, "alice", "s3cret!", "select * from db.nope");
    assert!(!failed.success());
    assert!(
        failed.stderr().contains("ERROR 1146 (42S02)"),
        "{}",
        failed.stderr()
    );
    let denied = mariadb(&emu, "alice", "wrong", "select 1");
    assert!(!denied.success());
    assert!(
        denied.stderr().contains("ERROR 1045 (28000)"),
        "{}",
        denied.stderr()
    );
}

/// A driver jar (Maven Central path), from the cache or downloaded into it; `None` if
/// unavailable.
fn driver_jar(maven_path: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("STARROCKS_EMULATOR_TEST_CACHE")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/starrocks-emulator-tests"))
        })?;
    let name = maven_path.rsplit('/').next()?;
    let jar = dir.join(name);
    if jar.is_file() {
        return Some(jar);
    }
    if !installed("curl") || std::fs::create_dir_all(&dir).is_err() {
        return None;
    }
    let partial = dir.join(format!("{name}.part"));
    let mut curl = Command::new("curl");
    curl.args(["-sSfL", "--max-time", "90", "-o"])
        .arg(&partial)
        .arg(format!("{MAVEN}/{maven_path}"));
    let fetched = run_bounded(curl, LIMIT).ok()?;
    if !fetched.success() {
        let _ = std::fs::remove_file(&partial);
        return None;
    }
    std::fs::rename(&partial, &jar).ok()?;
    Some(jar)
}

/// What the connector, its catalog and Flink CDC do over JDBC, in one small program: connect,
/// `select current_version()`, DDL, a PreparedStatement on `information_schema.COLUMNS`, the
/// alter-job poll, and SELECTs. Prints one line per check.
const JDBC_PROGRAM: &str = r#"
import java.sql.*;

public class EmulatorJdbcCheck {
    public static void main(String[] args) throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + args[0] + "/" + args[1];
        try (Connection c = DriverManager.getConnection(url, "alice", "s3cret!")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select current_version() as ver;")) {
                rs.next();
                System.out.println("version " + rs.getString("ver"));
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE DATABASE IF NOT EXISTS jdb;");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS `jdb`.`t` (\n`id` BIGINT NOT NULL,\n"
                        + "`name` VARCHAR(32) NULL COMMENT \"n\",\n`ok` BOOLEAN NULL,\n`price` DECIMAL(10, 2) NULL\n"
                        + ") PRIMARY KEY (`id`)\nDISTRIBUTED BY HASH (`id`) BUCKETS 1\nPROPERTIES (\n\"replication_num\" = \"1\"\n);");
                s.executeUpdate("ALTER TABLE `jdb`.`t` ADD COLUMN `extra` INT NULL PROPERTIES (\"timeout\" = \"60\");");
            }
            String columns = "select COLUMN_NAME, ORDINAL_POSITION, COLUMN_KEY, DATA_TYPE, COLUMN_SIZE, DECIMAL_DIGITS "
                    + "from information_schema.COLUMNS where TABLE_SCHEMA=? and TABLE_NAME=?";
            try (PreparedStatement ps = c.prepareStatement(columns)) {
                ps.setObject(1, "jdb");
                ps.setObject(2, "t");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Integer size = rs.getInt("COLUMN_SIZE");
                        if (rs.wasNull()) size = null;
                        Integer digits = rs.getInt("DECIMAL_DIGITS");
                        if (rs.wasNull()) digits = null;
                        System.out.println("column " + rs.getString("COLUMN_NAME") + " " + rs.getInt("ORDINAL_POSITION")
                                + " [" + rs.getString("COLUMN_KEY") + "] " + rs.getString("DATA_TYPE") + " " + size + " " + digits);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SHOW ALTER TABLE COLUMN FROM `jdb` WHERE TableName = 't' ORDER BY JobId DESC LIMIT 1;");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                System.out.println("alter " + rs.getString("State"));
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), 1.5 as d, true as b, null as n from jdb.t where id = 1")) {
                rs.next();
                System.out.println("select " + rs.getLong(1) + " " + rs.getBigDecimal("d") + " " + rs.getBoolean("b") + " " + rs.getString("n"));
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery("select * from jdb.nope");
            } catch (SQLException e) {
                System.out.println("error " + e.getErrorCode() + " " + e.getSQLState());
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DROP TABLE `jdb`.`t`;");
            }
            System.out.println("valid " + c.isValid(5));
        }
    }
}
"#;

#[test]
fn connector_j_runs_what_the_connector_catalog_and_cdc_send() {
    if !installed("javac") || !installed("java") {
        skip("no JDK (javac/java) on the PATH");
        return;
    }
    let Some(jar8) = driver_jar(CONNECTOR_J_8) else {
        skip(&format!(
            "{CONNECTOR_J_8} is not cached and could not be downloaded"
        ));
        return;
    };
    let mut runs = vec![
        // Client-side prepared statements (the driver's default, what the connector gets)...
        (jar8.clone(), ""),
        // ...and server-side ones (COM_STMT_PREPARE/EXECUTE, binary protocol).
        (jar8, "?useServerPrepStmts=true&cachePrepStmts=true"),
    ];
    match driver_jar(CONNECTOR_J_5) {
        Some(jar5) => runs.push((jar5, "?useSSL=false")),
        None => eprintln!("NOTE: {CONNECTOR_J_5} unavailable, checking Connector/J 8 only"),
    }
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("s6_7_mysql_jdbc");
    std::fs::create_dir_all(&work).expect("work dir");
    std::fs::write(work.join("EmulatorJdbcCheck.java"), JDBC_PROGRAM).expect("write program");
    // The program only uses java.sql, so it compiles without a driver.
    let mut javac = Command::new("javac");
    javac
        .arg("-d")
        .arg(&work)
        .arg(work.join("EmulatorJdbcCheck.java"));
    let compiled = run_bounded(javac, LIMIT).expect("run javac");
    assert!(compiled.success(), "javac failed: {}", compiled.stderr());

    let emu = emulator();
    for (jar, options) in runs {
        let class_path = format!("{}:{}", jar.display(), work.display());
        let mut java = Command::new("java");
        java.arg("-cp")
            .arg(&class_path)
            .arg("EmulatorJdbcCheck")
            .arg(emu.mysql_addr().port().to_string())
            .arg(options);
        let run = run_bounded(java, LIMIT).expect("run java");
        assert!(
            run.success(),
            "JDBC check failed ({} {options}):\n{}\n{}",
            jar.display(),
            run.stdout(),
            run.stderr()
        );
        assert_eq!(
            run.stdout(),
            "version 3.3.5-emulator\n\
             column id 1 [PRI] bigint 19 0\n\
             column name 2 [] varchar 32 null\n\
             column ok 3 [] tinyint null 0\n\
             column price 4 [] decimal 10 2\n\
             column extra 5 [] int 10 0\n\
             alter FINISHED\n\
             select 0 1.5 true null\n\
             error 1146 42S02\n\
             valid true\n",
            "{} {options}",
            jar.display()
        );
    }
}
