package io.goatflow.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "GoatFlow authentication")
@interface AuthConfig {

    @AttributeDefinition(description = "bcrypt cost factor (each step doubles the work); 10 to 14 is sensible")
    int bcrypt_cost() default 12;

    @AttributeDefinition(description = "Failed logins per client IP and login allowed within login.window.seconds")
    int login_max_failures() default 5;

    @AttributeDefinition(description = "Window in which failed logins are counted, in seconds")
    int login_window_seconds() default 300;

    @AttributeDefinition(description = "First wait after the allowed failures, in seconds; doubles with each"
            + " further failure")
    int login_delay_initial_seconds() default 2;

    @AttributeDefinition(description = "Longest wait between attempts once the limit is reached, in seconds")
    int login_delay_max_seconds() default 60;

    @AttributeDefinition(description = "Issuer shown in authenticator apps next to the account of a TOTP key")
    String totp_issuer() default "GoatFlow";

    @AttributeDefinition(description = "WebAuthn relying party id (GOATFLOW_WEBAUTHN_RP_ID): the host name users"
            + " reach GoatFlow by, or a parent domain of it. Passkeys and security keys are bound to it: changing it"
            + " makes every registered key useless")
    String webauthn_rp_id() default "localhost";

    @AttributeDefinition(description = "WebAuthn relying party name shown by authenticators"
            + " (GOATFLOW_WEBAUTHN_RP_NAME)")
    String webauthn_rp_name() default "GoatFlow";

    @AttributeDefinition(description = "Origins the browser may sign for, comma-separated, such as"
            + " https://help.example.org (GOATFLOW_WEBAUTHN_ORIGINS)")
    String webauthn_origins() default "http://localhost:8080";

    @AttributeDefinition(description = "Demo mode (GOATFLOW_DEMO_MODE): non-admins cannot change passwords or"
            + " second factors, and their preferences are not stored")
    boolean demo_mode() default false;
}
