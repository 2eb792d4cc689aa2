/** Database access for GoatFlow bundles: the shared {@link io.goatflow.persistence.Database} and schema migrations. */
@Version("1.1.0")
package io.goatflow.persistence;

import org.osgi.annotation.versioning.Version;
