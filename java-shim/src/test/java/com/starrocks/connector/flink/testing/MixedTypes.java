package com.starrocks.connector.flink.testing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of mixed types derived from a sequence id by SQL ({@link #SELECT} over a table {@code gen}
 * with a BIGINT {@code id}), and the values StarRocks shows for them ({@link #expected}).
 */
public final class MixedTypes {
    private MixedTypes() {}

    public static final String[] STARROCKS_COLUMNS = {
        "id BIGINT NOT NULL",
        "c_bool BOOLEAN",
        "c_tinyint TINYINT",
        "c_smallint SMALLINT",
        "c_int INT",
        "c_float FLOAT",
        "c_double DOUBLE",
        "c_decimal DECIMAL(12,3)",
        "c_big_decimal DECIMAL(38,10)",
        "c_varchar VARCHAR(64)",
        "c_date DATE",
        "c_ts DATETIME",
        "c_ts6 DATETIME"
    };

    public static final String FLINK_COLUMNS =
            "id BIGINT, c_bool BOOLEAN, c_tinyint TINYINT, c_smallint SMALLINT, c_int INT,"
                    + " c_float FLOAT, c_double DOUBLE, c_decimal DECIMAL(12,3),"
                    + " c_big_decimal DECIMAL(38,10), c_varchar VARCHAR(64), c_date DATE,"
                    + " c_ts TIMESTAMP(3), c_ts6 TIMESTAMP(6)";

    /** Derives every column from the sequence id; {@link #expected(long)} mirrors it. */
    public static final String SELECT =
            "SELECT id,"
                    + " MOD(id, 2) = 0,"
                    + " CAST(MOD(id, 256) - 128 AS TINYINT),"
                    + " CAST(MOD(id, 65536) - 32768 AS SMALLINT),"
                    + " CASE WHEN MOD(id, 7) = 0 THEN CAST(NULL AS INT) ELSE CAST(id * 7 - 350000 AS INT) END,"
                    + " CAST(CAST(id AS FLOAT) / 4 AS FLOAT),"
                    + " CAST(id AS DOUBLE) / 3,"
                    + " CAST(CAST(id - 50000 AS DOUBLE) + 0.125 AS DECIMAL(12,3)),"
                    + " CAST(CONCAT(CAST(id AS STRING), '123456789012345678.0123456789') AS DECIMAL(38,10)),"
                    + " CASE WHEN MOD(id, 7) = 3 THEN CAST(NULL AS STRING)"
                    + "   ELSE CONCAT('name-', CAST(id AS STRING), CASE WHEN MOD(id, 3) = 0 THEN ' h\u00e9 \ud83d\ude00 \"q\"' ELSE '' END) END,"
                    + " CAST(TIMESTAMPADD(DAY, CAST(id AS INT), TIMESTAMP '2000-01-01 00:00:00') AS DATE),"
                    + " TIMESTAMPADD(SECOND, CAST(id AS INT), TIMESTAMP '2020-01-01 00:00:00.123'),"
                    + " TIMESTAMPADD(MINUTE, CAST(id AS INT), TIMESTAMP '2021-06-01 12:00:00.654321')"
                    + " FROM gen";

    public static List<Object> expected(long id) {
        return Arrays.<Object>asList(
                String.valueOf(id),
                id % 2 == 0 ? "1" : "0",
                String.valueOf(id % 256 - 128),
                String.valueOf(id % 65536 - 32768),
                id % 7 == 0 ? null : String.valueOf(id * 7 - 350000),
                (float) id / 4,
                (double) id / 3,
                new BigDecimal(id - 50000).add(new BigDecimal("0.125")).setScale(3).toPlainString(),
                new BigDecimal(id + "123456789012345678.0123456789").toPlainString(),
                id % 7 == 3 ? null : "name-" + id + (id % 3 == 0 ? " h\u00e9 \ud83d\ude00 \"q\"" : ""),
                LocalDate.of(2000, 1, 1).plusDays(id).toString(),
                Rows.datetime(LocalDateTime.of(2020, 1, 1, 0, 0, 0, 123_000_000).plusSeconds(id)),
                Rows.datetime(LocalDateTime.of(2021, 6, 1, 12, 0, 0, 654_321_000).plusMinutes(id)));
    }
}
