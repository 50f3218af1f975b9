package com.starrocks.connector.flink.table.sink;

import java.util.Locale;

/**
 * Credentials that users write inside a URL ({@code http://user:password@fe:8030},
 * {@code jdbc:mysql://fe:9030/db?password=...}) are hidden before the URL is shown, by the rule of
 * the engine's messages: everything up to the last {@code @} after the scheme becomes {@code ***},
 * and so do the values of query parameters whose name suggests a secret.
 */
final class UrlCredentials {
    private static final String[] SECRET_PARAMETERS = {"pass", "pwd", "secret", "token", "key", "credential"};

    private UrlCredentials() {}

    static String hide(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        StringBuilder out = new StringBuilder(url.length()).append(url, 0, start);
        String rest = url.substring(start);
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            out.append("***@");
            rest = rest.substring(at + 1);
        }
        int query = rest.indexOf('?');
        if (query < 0) {
            return out.append(rest).toString();
        }
        out.append(rest, 0, query + 1);
        String[] parameters = rest.substring(query + 1).split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = parameters[i].indexOf('=');
            if (eq >= 0 && isSecret(parameters[i].substring(0, eq))) {
                out.append(parameters[i], 0, eq).append("=***");
            } else {
                out.append(parameters[i]);
            }
        }
        return out.toString();
    }

    private static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String s : SECRET_PARAMETERS) {
            if (lower.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
