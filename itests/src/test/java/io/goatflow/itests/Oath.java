package io.goatflow.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** TOTP codes from Debian's oathtool: an implementation independent of the server's. */
final class Oath {
    private Oath() {
    }

    /** The 6-digit code of {@code base32Secret} at {@code at}. */
    static String totp(String base32Secret, Instant at) {
        try {
            Process process = new ProcessBuilder("oathtool", "--totp", "-b", base32Secret, "--now",
                    "@" + at.getEpochSecond()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.matches("\\d{6}")) {
                throw new AssertionError("oathtool failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("oathtool is needed for the TOTP tests (apt-get install oathtool)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
