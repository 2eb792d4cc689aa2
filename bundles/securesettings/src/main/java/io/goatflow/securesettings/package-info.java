/**
 * Secure settings: secrets (API keys of plugins and integrations) stored encrypted in the shared database, per
 * organisation with a global fallback. Plaintext leaves this API only through {@link SecureSettings#get}.
 */
@Version("1.0.0")
package io.goatflow.securesettings;

import org.osgi.annotation.versioning.Version;
