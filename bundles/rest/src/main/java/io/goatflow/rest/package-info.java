/**
 * The REST contract every GoatFlow area follows: resources join the {@value io.goatflow.rest.RestApi#APPLICATION_NAME}
 * application, answer with {@link io.goatflow.rest.Envelope}, signal failures with {@link io.goatflow.rest.ApiException},
 * and learn who is calling from {@link io.goatflow.rest.Callers}.
 */
@Version("1.5.0")
package io.goatflow.rest;

import org.osgi.annotation.versioning.Version;
