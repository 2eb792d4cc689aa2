package io.goatflow.securesettings;

/**
 * What {@link SecureSettings#rotate()} did.
 *
 * @param rotated rows re-encrypted under the current key
 * @param unreadable rows no known key decrypts; left untouched (restore the missing key, or set them again)
 * @param skipped rows changed by someone else on every attempt during the run; run rotate again
 * @param currentKeyId the key every rotated row is now under
 */
public record RotationResult(int rotated, int unreadable, int skipped, String currentKeyId) {
}
