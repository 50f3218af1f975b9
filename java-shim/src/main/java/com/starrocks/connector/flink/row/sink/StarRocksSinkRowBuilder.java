package com.starrocks.connector.flink.row.sink;

import java.io.Serializable;
import java.util.function.BiConsumer;

/**
 * Fills the values of one StarRocks row from a user record, for the typed DataStream sinks of
 * {@code com.starrocks.connector.flink.StarRocksSink#sink(schema, options, rowBuilder)}.
 *
 * <p>{@code accept(row, record)} gets a fresh {@code Object[]} with one slot per column of the
 * schema, in schema order, and sets each slot to a Java value of the column's type
 * ({@code Integer} for INT, {@code BigDecimal} for DECIMAL, {@code LocalDate} for DATE, ...;
 * {@code null} for NULL). When the schema declares a primary key the array has one more slot, the
 * last, for the operation: {@link StarRocksSinkOP#UPSERT} or {@link StarRocksSinkOP#DELETE} (or
 * its ordinal).
 */
public interface StarRocksSinkRowBuilder<T> extends BiConsumer<Object[], T>, Serializable {}
