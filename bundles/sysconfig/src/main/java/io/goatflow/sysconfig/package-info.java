/**
 * Application settings, OTRS style: defaults shipped by areas, overridden system-wide by admins, per organisation
 * and, where a setting allows it, by each agent. One {@link io.goatflow.sysconfig.ConfigGet} resolves them.
 */
@Version("1.2.0")
package io.goatflow.sysconfig;

import org.osgi.annotation.versioning.Version;
