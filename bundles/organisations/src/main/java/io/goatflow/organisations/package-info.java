/** Organisations (tenants): what other areas ask about them. Membership and the active organisation live here. */
@Version("1.0.0")
package io.goatflow.organisations;

import org.osgi.annotation.versioning.Version;
