/** Application settings, OTRS style: defaults shipped by areas, overridden by admins (and later organisations and users). */
@Version("1.1.0")
package io.goatflow.sysconfig;

import org.osgi.annotation.versioning.Version;
