/** Authentication: password hashing and the one code path that issues, resolves and ends login sessions. */
@Version("1.3.0")
package io.goatflow.auth;

import org.osgi.annotation.versioning.Version;
