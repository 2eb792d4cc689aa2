package io.goatflow.auth.internal.shell;

import io.goatflow.auth.PasswordHashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.apache.karaf.shell.api.console.Session;

/** How the gk:* commands get a new password: typed twice without echo, or generated. */
final class PasswordInput {
    static final int MIN_LENGTH = 12;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Session session;
    private BufferedReader piped;

    PasswordInput(Session session) {
        this.session = session;
    }

    /** 20 characters from an alphabet without look-alikes (about 116 bits). */
    static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder generated = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            generated.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return generated.toString();
    }

    /** The password typed twice, or null (after saying why) when the entries differ or it is too short/long. */
    String typedTwice() throws IOException {
        String password = prompt("New password: ");
        String again = prompt("Repeat it: ");
        if (password == null || !password.equals(again)) {
            System.err.println("The two entries differ; nothing changed.");
            return null;
        }
        return acceptable(password) ? password : null;
    }

    static boolean acceptable(String password) {
        if (password.length() < MIN_LENGTH
                || password.getBytes(StandardCharsets.UTF_8).length > PasswordHashing.MAX_PASSWORD_BYTES) {
            System.err.println("A password needs at least " + MIN_LENGTH + " characters and at most "
                    + PasswordHashing.MAX_PASSWORD_BYTES + " bytes; nothing changed.");
            return false;
        }
        return true;
    }

    /** Hidden input on a terminal; a plain line from the input stream when the shell has none (scripts, ssh -T). */
    private String prompt(String text) throws IOException {
        try {
            return session.readLine(text, '*');
        } catch (UnsupportedOperationException headless) {
            if (piped == null) {
                piped = new BufferedReader(new InputStreamReader(session.getKeyboard(), StandardCharsets.UTF_8));
            }
            return piped.readLine();
        }
    }
}
