package io.goatflow.persistence.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One versioned migration file of a bundle: {@code V<version>__<description>[.<kind>].sql}. */
record MigrationScript(int version, String description, String sql) {

    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)(?:\\.([a-z0-9]+))?\\.sql");

    /** Parsed file name: version, description, database kind or null for the portable variant. */
    record FileName(int version, String description, String kind) {
    }

    static FileName parseName(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("Migration file name must look like V001__create_things.sql"
                    + " (optionally V001__create_things.postgresql.sql): " + fileName);
        }
        return new FileName(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), m.group(3));
    }

    /** SHA-256 of the script text with line endings normalised, so a checkout on another OS does not differ. */
    String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
