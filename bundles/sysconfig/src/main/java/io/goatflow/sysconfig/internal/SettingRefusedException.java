package io.goatflow.sysconfig.internal;

import io.goatflow.rest.ApiException;

/** A setting change that breaks the setting's rules (read-only, wrong type). Rolls the transaction back. */
final class SettingRefusedException extends ApiException {
    private static final long serialVersionUID = 1L;

    SettingRefusedException(String code, String message) {
        super("SETTING_READONLY".equals(code) ? 409 : 400, code, message);
    }
}
