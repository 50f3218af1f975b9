package com.starrocks.connector.flink.catalog;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.sink.EngineOptions;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code CREATE CATALOG c WITH ('type' = 'starrocks', 'jdbc-url' = ..., 'load-url' = ...,
 * 'username' = ..., 'password' = ...)}: a {@link StarRocksCatalog}. {@code http-url} (the public
 * connector's name) is taken for {@code load-url}. Every {@code sink.*} option of the SQL
 * connector given here applies to the catalog's tables; {@code table.num-buckets} and
 * {@code table.properties.*} to the tables it creates.
 */
public class StarRocksCatalogFactory implements CatalogFactory {
    public static final String IDENTIFIER = "starrocks";
    static final String TABLE_PROPERTIES_PREFIX = "table.properties.";

    static final ConfigOption<String> DEFAULT_DATABASE =
            ConfigOptions.key("default-database").stringType().defaultValue("information_schema")
                    .withDescription("The database of unqualified names (after USE CATALOG).");
    static final ConfigOption<String> HTTP_URL =
            ConfigOptions.key("http-url").stringType().noDefaultValue()
                    .withDescription("The public connector's name of load-url.");
    static final ConfigOption<Integer> TABLE_NUM_BUCKETS =
            ConfigOptions.key("table.num-buckets").intType().noDefaultValue()
                    .withDescription("Buckets of the tables the catalog creates; StarRocks picks when unset.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(StarRocksSinkOptions.JDBC_URL);
        options.add(StarRocksSinkOptions.USERNAME);
        options.add(StarRocksSinkOptions.PASSWORD);
        return options;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        options.add(StarRocksSinkOptions.LOAD_URL);
        options.add(HTTP_URL);
        options.add(DEFAULT_DATABASE);
        options.add(TABLE_NUM_BUCKETS);
        for (ConfigOption<?> o : StarRocksSinkOptions.optionalOptions()) {
            if (o.key().startsWith("sink.")) {
                options.add(o);
            }
        }
        return options;
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper = FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validateExcept(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX, TABLE_PROPERTIES_PREFIX);
        Map<String, String> given = context.getOptions();
        String loadUrl = given.containsKey(StarRocksSinkOptions.LOAD_URL.key())
                ? given.get(StarRocksSinkOptions.LOAD_URL.key())
                : given.get(HTTP_URL.key());
        if (loadUrl == null) {
            throw new ValidationException("StarRocks catalog " + context.getName() + ": set 'load-url'");
        }
        Map<String, String> connection = new HashMap<>();
        connection.put(StarRocksSinkOptions.JDBC_URL.key(), given.get(StarRocksSinkOptions.JDBC_URL.key()));
        connection.put(StarRocksSinkOptions.LOAD_URL.key(), loadUrl);
        connection.put(StarRocksSinkOptions.USERNAME.key(), given.get(StarRocksSinkOptions.USERNAME.key()));
        connection.put(StarRocksSinkOptions.PASSWORD.key(), given.get(StarRocksSinkOptions.PASSWORD.key()));
        Map<String, String> sink = new HashMap<>();
        Map<String, String> tableProperties = new HashMap<>();
        Set<String> handled = new HashSet<>(connection.keySet());
        handled.add(HTTP_URL.key());
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getKey().startsWith(TABLE_PROPERTIES_PREFIX)) {
                tableProperties.put(e.getKey().substring(TABLE_PROPERTIES_PREFIX.length()), e.getValue());
            } else if (e.getKey().startsWith("sink.") && !handled.contains(e.getKey())) {
                sink.put(e.getKey(), e.getValue());
            }
        }
        Map<String, String> check = new HashMap<>(connection);
        check.putAll(sink);
        check.put(StarRocksSinkOptions.DATABASE_NAME.key(), "*");
        check.put(StarRocksSinkOptions.TABLE_NAME.key(), "*");
        try {
            EngineOptions.validate(check);
        } catch (StarRocksException e) {
            throw new ValidationException("StarRocks catalog " + context.getName() + ": " + e.getMessage(), e);
        }
        return new StarRocksCatalog(
                context.getName(),
                helper.getOptions().get(DEFAULT_DATABASE),
                connection,
                sink,
                tableProperties,
                helper.getOptions().get(TABLE_NUM_BUCKETS));
    }
}
