package com.starrocks.connector.flink.examples;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Flink SQL script on an in-process MiniCluster (or whatever {@code execution.target}
 * says), without Flink's shell scripts.
 *
 * <pre>java -cp "$FLINK_HOME/lib/*:connector.jar:examples" ...SqlScriptRunner script.sql</pre>
 *
 * <p>Statements end with ';' at the end of a line; lines starting with '--' are comments;
 * {@code ${NAME}} is replaced by the environment variable NAME; {@code SET 'k' = 'v';} sets a
 * configuration option before the first job. INSERT statements run to completion.
 */
public final class SqlScriptRunner {
    private static final Pattern SET = Pattern.compile("(?is)^SET\\s+'([^']+)'\\s*=\\s*'([^']*)'$");
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private SqlScriptRunner() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SqlScriptRunner <script.sql>");
            System.exit(2);
        }
        List<String> statements = split(substitute(new String(Files.readAllBytes(Paths.get(args[0])), StandardCharsets.UTF_8)));
        Configuration conf = new Configuration();
        TableEnvironment env = null;
        for (String statement : statements) {
            Matcher set = SET.matcher(statement);
            if (set.matches()) {
                if (env != null) {
                    env.getConfig().getConfiguration().setString(set.group(1), set.group(2));
                } else {
                    conf.setString(set.group(1), set.group(2));
                }
                continue;
            }
            if (env == null) {
                env = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
            }
            System.out.println("[sql] " + firstLine(statement));
            long start = System.nanoTime();
            TableResult result = env.executeSql(statement);
            if (result.getJobClient().isPresent()) {
                result.await();
                System.out.printf("[sql] job %s finished in %.1f s%n", result.getJobClient().get().getJobID(), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static String substitute(String text) {
        Map<String, String> env = System.getenv();
        Matcher m = VAR.matcher(text);
        StringBuffer out = new StringBuffer();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            if (line.trim().startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String s = current.toString().trim();
                out.add(s.substring(0, s.length() - 1).trim());
                current.setLength(0);
            }
        }
        if (current.toString().trim().length() > 0) {
            out.add(current.toString().trim());
        }
        return out;
    }

    private static String firstLine(String statement) {
        int nl = statement.indexOf('\n');
        return nl < 0 ? statement : statement.substring(0, nl) + " ...";
    }
}
