package io.goatflow.tickets.internal;

import io.goatflow.rest.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an attachment may be called and what it really is. Names are refused, never "fixed": a name with a NUL,
 * control characters, a path separator, {@code ..}, a trailing dot or space, or a blocked extension gets 400.
 * The content type is sniffed from the bytes; the declared type is used only when the bytes do not contradict it.
 */
final class AttachmentPolicy {
    static final int MAX_NAME_BYTES = 250;

    private final Set<String> blockedExtensions;

    AttachmentPolicy(String blockedExtensions) {
        this.blockedExtensions = Arrays.stream(blockedExtensions == null ? new String[0] : blockedExtensions.split(","))
                .map(e -> e.trim().toLowerCase(Locale.ROOT)).map(e -> e.startsWith(".") ? e.substring(1) : e)
                .filter(e -> !e.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The name as given, or 400 INVALID_FILENAME naming what is wrong with it. */
    String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw invalid("a file name is required");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == 0) {
                throw invalid("the file name contains a NUL byte");
            }
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || ch == '\u202e' || ch == '\u202d') {
                throw invalid("the file name contains control characters");
            }
            if (ch == '/' || ch == '\\') {
                throw invalid("the file name contains a path separator");
            }
        }
        if (name.contains("..")) {
            throw invalid("the file name contains '..'");
        }
        if (name.endsWith(".") || name.endsWith(" ") || name.startsWith(" ")) {
            throw invalid("the file name starts or ends with a space or ends with a dot");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw invalid("the file name is longer than " + MAX_NAME_BYTES + " bytes");
        }
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (blockedExtensions.contains(extension)) {
            throw invalid("files of type ." + extension + " are not accepted");
        }
        return name;
    }

    private static ApiException invalid(String why) {
        return new ApiException(400, "INVALID_FILENAME", "Invalid attachment name: " + why);
    }

    /**
     * The content type to store: what the bytes are when they say so clearly, otherwise the declared type if it
     * is a harmless one, otherwise {@code application/octet-stream}. Active content types (HTML, SVG, XML,
     * JavaScript) are never taken from the client.
     */
    static String contentType(byte[] content, String declared) {
        String sniffed = sniff(content);
        if (sniffed != null) {
            return sniffed;
        }
        String type = ArticleStore.baseType(declared == null ? "" : declared);
        boolean text = looksLikeText(content);
        if (type.isEmpty() || type.length() > 127 || !type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")
                || ACTIVE.contains(type)) {
            return text ? "text/plain" : "application/octet-stream";
        }
        if (type.startsWith("image/") || type.equals("application/pdf")) {
            // these have magic numbers, so a declared one that did not sniff as such is not one
            return "application/octet-stream";
        }
        if (type.startsWith("text/")) {
            return text ? type : "application/octet-stream";
        }
        return type;
    }

    private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml",
            "text/xml", "application/xml", "text/javascript", "application/javascript", "application/x-javascript",
            "text/css");

    static String sniff(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            return "image/png";
        }
        if (starts(b, 0xff, 0xd8, 0xff)) {
            return "image/jpeg";
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (starts(b, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (starts(b, 'P', 'K', 3, 4)) {
            return "application/zip";
        }
        if (starts(b, 0x1f, 0x8b)) {
            return "application/gzip";
        }
        if (starts(b, 'M', 'Z')) {
            return "application/x-msdownload";
        }
        if (starts(b, 0x7f, 'E', 'L', 'F')) {
            return "application/x-executable";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Valid UTF-8 without NULs in the first 8 KiB. */
    static boolean looksLikeText(byte[] content) {
        int n = Math.min(content.length, 8192);
        for (int i = 0; i < n; i++) {
            if (content[i] == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content, 0, n));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            // a multi-byte character cut at the 8 KiB boundary also lands here; binary is the safe answer
            return false;
        }
    }
}
