package io.goatflow.customfields;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The 15 kinds of custom field; {@link #wire()} is the name used in JSON, manifests and the database. */
public enum FieldType {
    TEXT, TEXTAREA, INTEGER, DECIMAL, BOOLEAN, DATE, DATETIME, SELECT, MULTI_SELECT, URL, EMAIL, PHONE, POINT,
    POLYGON, ADDRESS;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FieldType> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire().equals(wire)).findFirst();
    }
}
