/** Domain events: what happened in GoatFlow, published for any bundle (and later other instances) to react to. */
@Version("1.0.0")
package io.goatflow.events;

import org.osgi.annotation.versioning.Version;
