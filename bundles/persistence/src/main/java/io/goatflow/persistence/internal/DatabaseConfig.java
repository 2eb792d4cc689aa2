package io.goatflow.persistence.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "GoatFlow database",
        description = "Where GoatFlow keeps its data. Empty URL: embedded H2 file database under ${karaf.data}/h2.")
@interface DatabaseConfig {

    @AttributeDefinition(description = "JDBC URL (jdbc:h2:... or jdbc:postgresql://host:port/db); empty = embedded H2")
    String url() default "";

    @AttributeDefinition(description = "Database user")
    String user() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password")
    String password() default "";

    @AttributeDefinition(description = "Largest number of pooled connections")
    int pool_max_size() default 10;

    @AttributeDefinition(description = "How long a request waits for a connection before it gets a 503, in ms")
    long connect_timeout_ms() default 5000;
}
