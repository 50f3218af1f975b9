//! Parser tests: the statements the connector, its catalog, Flink CDC and MySQL drivers send,
//! verbatim where they are fixed strings.

use super::parse;
use crate::sql::ast::*;
use crate::storage::schema::KeyModel;

fn table(db: Option<&str>, name: &str) -> ObjectName {
    ObjectName {
        database: db.map(str::to_string),
        name: name.to_string(),
    }
}

#[test]
fn parses_version_queries() {
    let Statement::Select(s) = parse("select current_version() as ver;").expect("parses") else {
        panic!("not a select");
    };
    assert_eq!(
        s.items,
        vec![SelectItem::Expr {
            expr: Expr::Function {
                name: "current_version".into(),
                args: vec![]
            },
            label: "ver".into()
        }]
    );
    let Statement::Select(s) = parse("SELECT @@version_comment LIMIT 1").expect("parses") else {
        panic!("not a select");
    };
    assert_eq!(
        s.items,
        vec![SelectItem::Expr {
            expr: Expr::SysVar("version_comment".into()),
            label: "@@version_comment".into()
        }]
    );
    assert_eq!(s.filter.limit, Some((0, 1)));
}

/// The released Java connector reads ``select `COLUMN_NAME`, `ORDINAL_POSITION`, `COLUMN_KEY`, ...``
/// and looks the columns up by name: StarRocks (like MySQL) labels a column reference with the
/// bare column name, without backquotes or qualifier.
#[test]
fn a_column_is_labelled_with_its_bare_name() {
    let Statement::Select(s) =
        parse("select `COLUMN_NAME`, c.`COLUMN_KEY`, DATA_TYPE, `COLUMN_SIZE` AS size from `information_schema`.`COLUMNS` c")
            .expect("parses")
    else {
        panic!("not a select");
    };
    let labels: Vec<&str> = s
        .items
        .iter()
        .map(|i| match i {
            SelectItem::Expr { label, .. } => label.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        labels,
        vec!["COLUMN_NAME", "COLUMN_KEY", "DATA_TYPE", "size"]
    );
}

#[test]
fn parses_the_connector_column_query() {
    let sql =
        "select COLUMN_NAME, ORDINAL_POSITION, COLUMN_KEY, DATA_TYPE, COLUMN_SIZE, DECIMAL_DIGITS \
               from information_schema.COLUMNS where TABLE_SCHEMA='db' and TABLE_NAME='t'";
    let Statement::Select(s) = parse(sql).expect("parses") else {
        panic!("not a select");
    };
    assert_eq!(s.items.len(), 6);
    assert_eq!(s.from, Some(table(Some("information_schema"), "COLUMNS")));
    assert_eq!(
        s.filter.conditions,
        vec![
            Condition::Compare {
                column: "TABLE_SCHEMA".into(),
                op: CmpOp::Eq,
                value: Literal::Str("db".into())
            },
            Condition::Compare {
                column: "TABLE_NAME".into(),
                op: CmpOp::Eq,
                value: Literal::Str("t".into())
            }
        ]
    );
}

#[test]
fn parses_the_catalog_create_table() {
    let sql = "CREATE TABLE IF NOT EXISTS `db`.`t` (\n`id` BIGINT NOT NULL COMMENT \"the id\",\n\
               `price` DECIMAL(10, 2) NULL DEFAULT \"0\",\n`ts` DATETIME NULL DEFAULT CURRENT_TIMESTAMP\n) \
               PRIMARY KEY (`id`)\nDISTRIBUTED BY HASH (`id`) BUCKETS 8\n\
               PROPERTIES (\n\"replication_num\" = \"1\"\n);";
    let Statement::CreateTable(ct) = parse(sql).expect("parses") else {
        panic!("not a create table");
    };
    assert!(ct.if_not_exists);
    assert_eq!(ct.name, table(Some("db"), "t"));
    assert_eq!(ct.key, Some((KeyModel::Primary, vec!["id".to_string()])));
    assert_eq!(ct.distribution, Some(Distribution::Hash(vec!["id".into()])));
    assert_eq!(ct.buckets, Some(8));
    assert_eq!(ct.properties, vec![("replication_num".into(), "1".into())]);
    assert_eq!(ct.columns[0].comment, "the id");
    assert!(!ct.columns[0].nullable);
    assert_eq!(ct.columns[1].type_name, "DECIMAL(10,2)");
    assert_eq!(ct.columns[1].default.as_deref(), Some("0"));
    assert_eq!(ct.columns[2].default.as_deref(), Some("CURRENT_TIMESTAMP"));
}

#[test]
fn parses_alter_statements() {
    let sql = "ALTER TABLE `db`.`t` ADD COLUMN `c` VARCHAR(20) NULL COMMENT \"x\", ADD COLUMN `d` INT NULL \
               PROPERTIES (\"timeout\" = \"600\");";
    let Statement::AlterTable { name, ops } = parse(sql).expect("parses") else {
        panic!("not an alter");
    };
    assert_eq!(name, table(Some("db"), "t"));
    assert_eq!(ops.len(), 2);
    assert_eq!(
        parse("ALTER TABLE `db`.`t` RENAME COLUMN a TO b;").expect("parses"),
        Statement::AlterTable {
            name: table(Some("db"), "t"),
            ops: vec![AlterOp::RenameColumn {
                from: "a".into(),
                to: "b".into()
            }]
        }
    );
    assert!(matches!(
        parse("ALTER TABLE t MODIFY COLUMN `v` BIGINT NULL").expect("parses"),
        Statement::AlterTable { ops, .. } if matches!(&ops[0], AlterOp::ModifyColumn { column, .. } if column.type_name == "BIGINT")
    ));
    assert!(matches!(
        parse("ALTER TABLE t ADD COLUMN (a INT, b INT)").expect("parses"),
        Statement::AlterTable { ops, .. } if matches!(&ops[0], AlterOp::AddColumns { columns, .. } if columns.len() == 2)
    ));
    assert_eq!(
        parse("ALTER TABLE `d`.`t` COMMENT = \"new\";").expect("parses"),
        Statement::AlterTable {
            name: table(Some("d"), "t"),
            ops: vec![AlterOp::Comment("new".into())]
        }
    );
}

#[test]
fn parses_show_alter_and_variables() {
    let sql =
        "SHOW ALTER TABLE COLUMN FROM `db` WHERE TableName = 't' ORDER BY JobId DESC LIMIT 1;";
    let Statement::Show(Show::AlterTableColumn { database, filter }) = parse(sql).expect("parses")
    else {
        panic!("not show alter");
    };
    assert_eq!(database.as_deref(), Some("db"));
    assert_eq!(filter.order_by[0].column, "JobId");
    assert!(filter.order_by[0].descending);
    assert_eq!(filter.limit, Some((0, 1)));
    assert_eq!(
        parse("SHOW VARIABLES WHERE Variable_name = 'a' OR Variable_name = 'b'").expect("parses"),
        Statement::Show(Show::Variables {
            like: None,
            names: vec!["a".into(), "b".into()]
        })
    );
}

#[test]
fn parses_session_statements() {
    assert_eq!(
        parse("SET NAMES utf8mb4").expect("parses"),
        Statement::Set(vec![
            SetItem {
                name: Some("character_set_client".into()),
                value: Some("utf8mb4".into())
            },
            SetItem {
                name: Some("character_set_connection".into()),
                value: Some("utf8mb4".into())
            },
            SetItem {
                name: Some("character_set_results".into()),
                value: Some("utf8mb4".into())
            },
        ])
    );
    assert_eq!(
        parse("SET autocommit=1, @@session.sql_mode = 'STRICT'").expect("parses"),
        Statement::Set(vec![
            SetItem {
                name: Some("autocommit".into()),
                value: Some("1".into())
            },
            SetItem {
                name: Some("sql_mode".into()),
                value: Some("STRICT".into())
            },
        ])
    );
    assert_eq!(
        parse("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").expect("parses"),
        Statement::Set(vec![])
    );
    assert_eq!(
        parse("use `db`").expect("parses"),
        Statement::Use("db".into())
    );
    assert_eq!(parse("commit").expect("parses"), Statement::Transaction);
}

#[test]
fn refuses_what_it_does_not_support() {
    for sql in [
        "INSERT INTO t VALUES (1)",
        "UPDATE t SET a = 1",
        "DELETE FROM t",
        "SELECT a FROM t GROUP BY a",
        "SELECT a FROM t JOIN u ON t.a = u.a",
        "CREATE TABLE t (a INT) PARTITION BY RANGE(a) ()",
        "CREATE VIEW v AS SELECT 1",
        "SHOW PROCESSLIST",
        "SELECT a FROM t WHERE a = 1 OR b = 2",
    ] {
        let err = parse(sql).expect_err(sql);
        assert!(
            err.message.starts_with("not supported by the emulator: "),
            "{sql}: {err}"
        );
    }
    for sql in [
        "SELECT",
        "SELECT 1 FROM",
        "CREATE TABLE t (",
        "ALTER TABLE t ADD COLUMN",
        "SELECT a FROM t WHERE",
        "SELECT 'unterminated",
        "SELECT 1; SELECT 2",
        "SELECT ? ",
    ] {
        let err = parse(sql).expect_err(sql);
        assert!(matches!(err.code, 1064 | 1235), "{sql}: {err}");
    }
    assert_eq!(parse("   ;").expect_err("empty").code, 1065);
}

#[test]
fn never_panics_on_garbage() {
    let samples = [
        "select",
        "(((((",
        "`",
        "'",
        "\"",
        "@@",
        "@",
        "--",
        "/*",
        "select * from `a`.`b`.`c`",
        "create table `t` (a array<int>, b map<int,array<int>>)",
        "alter table",
        "show",
        "select count(",
        "select 1e",
        "select .5",
        "select -",
        "set",
        "set x",
        "desc",
        "show create table",
        "\u{0}\u{1}",
        "select 'a' 'b'",
        "drop",
        "truncate",
    ];
    for sample in samples {
        let _ = parse(sample);
    }
    // Every prefix of a long statement.
    let sql = "CREATE TABLE IF NOT EXISTS `db`.`t` (`id` BIGINT NOT NULL COMMENT \"x\", `v` DECIMAL(10, 2) DEFAULT \"1\") PRIMARY KEY (`id`) COMMENT \"c\" DISTRIBUTED BY HASH(`id`) BUCKETS 2 PROPERTIES (\"a\" = \"b\")";
    for end in 0..=sql.len() {
        if sql.is_char_boundary(end) {
            let _ = parse(&sql[..end]);
        }
    }
}
