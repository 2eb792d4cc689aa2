package io.goatflow.mail;

import java.util.List;

/**
 * One message: recipients, subject, a plain-text body and optionally an HTML alternative (sent as
 * multipart/alternative, so every client has something it can show). The sender is the configured address.
 */
public record OutgoingMail(List<String> to, String subject, String text, String html) {

    public OutgoingMail {
        to = to == null ? List.of() : List.copyOf(to);
    }
}
