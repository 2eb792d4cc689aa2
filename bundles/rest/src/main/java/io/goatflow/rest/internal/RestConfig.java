package io.goatflow.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "GoatFlow REST API", description = "Limits of the /api application")
@interface RestConfig {

    @AttributeDefinition(description = "Largest request body accepted, in bytes; larger bodies get 413")
    long max_body_bytes() default 1_048_576;

    @AttributeDefinition(description = "Largest request body on routes that take files (upload.paths), in bytes;"
            + " base64 in JSON adds a third to a file's size")
    long max_upload_bytes() default 26_214_400;

    @AttributeDefinition(description = "Path prefixes below /api whose requests may be as large as max.upload.bytes")
    String[] upload_paths() default {"v1/tickets"};

    @AttributeDefinition(description = "Retry-After seconds sent with 503 while an area restarts")
    int retry_after_seconds() default 2;

    @AttributeDefinition(description = "Session cookies carry Secure (browsers accept it on http://localhost);"
            + " turn off only for plain-HTTP test setups on other hosts")
    boolean cookie_secure() default true;

    @AttributeDefinition(description = "SameSite attribute of session cookies: Strict, Lax or None")
    String cookie_same_site() default "Lax";
}
