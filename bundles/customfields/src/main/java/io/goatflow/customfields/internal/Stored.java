package io.goatflow.customfields.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** One value as it sits in the typed columns of {@code gk_custom_field_value}. */
record Stored(String text, Long integer, BigDecimal decimal, BigDecimal decimal2, LocalDate date, Instant datetime,
        String json) {

    static Stored text(String text) {
        return new Stored(text, null, null, null, null, null, null);
    }
}
