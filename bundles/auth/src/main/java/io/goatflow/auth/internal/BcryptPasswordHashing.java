package io.goatflow.auth.internal;

import io.goatflow.auth.PasswordHashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/** bcrypt through BouncyCastle; reads every OTRS/Go variant, writes {@code $2b$}. */
@Component(service = PasswordHashing.class, configurationPid = "io.goatflow.auth")
@Designate(ocd = AuthConfig.class)
public final class BcryptPasswordHashing implements PasswordHashing {
    private final SecureRandom random = new SecureRandom();
    private final int cost;
    private final String decoy;

    @Activate
    public BcryptPasswordHashing(AuthConfig config) {
        this.cost = Math.max(4, Math.min(31, config.bcrypt_cost()));
        this.decoy = hash("decoy password that never matches");
    }

    @Override
    public String hash(String password) {
        if (password == null || tooLong(password)) {
            throw new IllegalArgumentException("Password must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
    }

    @Override
    public boolean verify(String password, String storedHash) {
        if (password == null || storedHash == null || tooLong(password)) {
            verifyNothing("x");
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(storedHash, password.toCharArray());
        } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException malformed) {
            return false;
        }
    }

    @Override
    public void verifyNothing(String password) {
        OpenBSDBCrypt.checkPassword(decoy, (password == null || tooLong(password) ? "x" : password).toCharArray());
    }

    private static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }
}
