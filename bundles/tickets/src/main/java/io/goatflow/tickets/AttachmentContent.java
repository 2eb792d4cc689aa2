package io.goatflow.tickets;

/** An attachment with its bytes, for download. */
public record AttachmentContent(Attachment attachment, byte[] content) {
}
