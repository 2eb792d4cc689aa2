package io.goatflow.tickets;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A file to attach; {@code content_base64} in JSON bodies, the raw bytes in {@link #content()} for Java callers. */
public record NewAttachment(String filename,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("content_base64") String contentBase64) {

    /** The decoded bytes, or null when the base64 text is not valid. */
    public byte[] content() {
        try {
            return contentBase64 == null ? null : java.util.Base64.getMimeDecoder().decode(contentBase64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
