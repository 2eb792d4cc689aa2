package io.goatflow.auth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "GoatFlow authentication")
@interface AuthConfig {

    @AttributeDefinition(description = "bcrypt cost factor (each step doubles the work); 10 to 14 is sensible")
    int bcrypt_cost() default 12;
}
