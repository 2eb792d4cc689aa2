package io.goatflow.web.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "GoatFlow web console")
@interface WebConfig {

    @AttributeDefinition(description = "Cache compiled templates (turn off while editing templates)")
    boolean template_cache() default true;
}
