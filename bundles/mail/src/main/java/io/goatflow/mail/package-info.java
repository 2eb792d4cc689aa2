/** Outgoing mail: the {@link io.goatflow.mail.MailSender} service and what it sends. */
@Version("1.0.0")
package io.goatflow.mail;

import org.osgi.annotation.versioning.Version;
