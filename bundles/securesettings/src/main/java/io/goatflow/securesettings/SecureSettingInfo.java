package io.goatflow.securesettings;

import java.time.Instant;

/**
 * A stored secure setting as admins and listings see it: never the value, only {@code maskedValue} (the last four
 * characters behind a fixed mask, e.g. {@code ••••1234}; values of four characters or fewer are fully masked).
 *
 * @param maskedValue the mask, or null when the row is not {@code readable}
 * @param keyId id of the key the value is encrypted with
 * @param readable false when no known key decrypts the row (its key is missing, or the data was tampered with)
 */
public record SecureSettingInfo(long orgId, String namespace, String name, String maskedValue, String keyId,
        Instant changedAt, long changedBy, boolean readable) {
}
