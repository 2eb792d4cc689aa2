package io.goatflow.system.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "GoatFlow health check")
@interface HealthConfig {

    @AttributeDefinition(description = "How long /health waits for the database before answering 503, in ms")
    long database_timeout_ms() default 500;
}
