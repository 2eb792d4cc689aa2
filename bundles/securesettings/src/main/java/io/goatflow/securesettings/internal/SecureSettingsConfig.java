package io.goatflow.securesettings.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code io.goatflow.securesettings} (etc/io.goatflow.securesettings.cfg). The environment
 * variables {@code GOATFLOW_SECURE_KEY} and {@code GOATFLOW_SECURE_KEY_PREVIOUS} are read directly, so key material
 * never has to be written into a file under etc/.
 */
@ObjectClassDefinition(name = "GoatFlow secure settings",
        description = "Keys that encrypt secure settings. GOATFLOW_SECURE_KEY (base64 or 64 hex characters) wins over "
                + "the key file.")
@interface SecureSettingsConfig {

    @AttributeDefinition(required = false, description = "Key file (32 bytes as base64, 64 hex characters or raw). "
            + "Empty: ${karaf.data}/secure/secure.key. Created with a random key, owner-only, when missing.")
    String keyFile() default "";

    @AttributeDefinition(required = false, description = "Files of previous keys, which only decrypt values not yet "
            + "rotated (comma-separated in a .cfg file)")
    String[] previousKeyFiles() default {};
}
