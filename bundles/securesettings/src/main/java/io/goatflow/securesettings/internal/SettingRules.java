package io.goatflow.securesettings.internal;

import io.goatflow.securesettings.SecureSettings;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The limits of identities and values, in one place for the service (exceptions) and the API (field errors). */
final class SettingRules {
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_-]{1," + SecureSettings.NAMESPACE_MAX + "}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1," + SecureSettings.NAME_MAX + "}");
    static final String NAMESPACE_RULE = "1 to " + SecureSettings.NAMESPACE_MAX
            + " characters of a-z, 0-9, '_' and '-'";
    static final String NAME_RULE = "1 to " + SecureSettings.NAME_MAX
            + " characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'";
    static final String ORG_RULE = "0 (global) or an organisation id";
    static final String VALUE_RULE = "at most " + SecureSettings.VALUE_MAX_BYTES + " bytes in UTF-8";

    private SettingRules() {
    }

    static boolean validNamespace(String namespace) {
        return namespace != null && NAMESPACE.matcher(namespace).matches();
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** What is wrong with an identity (and a value, unless {@code checkValue} is false), by field; empty if nothing. */
    static Map<String, String> problems(String namespace, String name, long orgId, String value, boolean checkValue) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (!validNamespace(namespace)) {
            problems.put("namespace", "must be " + NAMESPACE_RULE);
        }
        if (!validName(name)) {
            problems.put("name", "must be " + NAME_RULE);
        }
        if (orgId < 0) {
            problems.put("org_id", "must be " + ORG_RULE);
        }
        if (checkValue) {
            if (value == null) {
                problems.put("value", "is required (a string)");
            } else if (value.length() > SecureSettings.VALUE_MAX_BYTES
                    || value.getBytes(StandardCharsets.UTF_8).length > SecureSettings.VALUE_MAX_BYTES) {
                problems.put("value", "must be " + VALUE_RULE);
            }
        }
        return problems;
    }

    /** @throws IllegalArgumentException naming every problem (never the value) */
    static void check(String namespace, String name, long orgId) {
        throwIfAny(problems(namespace, name, orgId, null, false));
    }

    /** @throws IllegalArgumentException naming every problem (never the value) */
    static void checkWrite(String namespace, String name, long orgId, String value) {
        throwIfAny(problems(namespace, name, orgId, value, true));
    }

    private static void throwIfAny(Map<String, String> problems) {
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("Invalid secure setting: ");
            problems.forEach((field, problem) -> message.append(field).append(' ').append(problem).append("; "));
            message.setLength(message.length() - 2);
            throw new IllegalArgumentException(message.toString());
        }
    }
}
