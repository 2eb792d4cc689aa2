package io.goatflow.sysconfig;

import io.goatflow.rest.ApiException;

/**
 * A setting change that breaks the setting's rules. It is an {@link ApiException}, so a REST resource may let it
 * through and the caller gets the status and code below; thrown inside a transaction, it rolls that back.
 */
public final class SettingRefusedException extends ApiException {
    private static final long serialVersionUID = 1L;

    /** 409: the setting is read-only on every tier. */
    public static final String READONLY = "SETTING_READONLY";
    /** 409: agents may not set their own value of this setting. */
    public static final String NOT_USER_MODIFIABLE = "SETTING_NOT_USER_MODIFIABLE";
    /** 400: the value has another JSON type than the default, or is a fraction where whole numbers are taken. */
    public static final String INVALID_VALUE = "VALIDATION_FAILED";

    public SettingRefusedException(String code, String message) {
        super(READONLY.equals(code) || NOT_USER_MODIFIABLE.equals(code) ? 409 : 400, code, message);
    }
}
