package io.livedesk.signaling.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;

/**
 * The JWT secret and admin key of a server started without them ({@code auth.secrets-file}): generated once and
 * kept in a file only its owner can read, so that tokens and the printed desk link stay valid across restarts.
 * Configured values win and are never written there. A file that exists but cannot be used stops the start
 * instead of being replaced, since new secrets would sign out everyone. Where no file can be created (a
 * container whose working directory is read-only) the server starts with per-start secrets, as before the
 * file existed, and says so.
 */
public final class LocalSecrets {
    private static final Logger log = LoggerFactory.getLogger(LocalSecrets.class);
    private static final String JWT_SECRET = "jwt-secret";
    private static final String ADMIN_KEY = "admin-key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The file cannot be read or holds no usable secrets; the message names it. */
    public static final class Unusable extends RuntimeException {
        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private LocalSecrets() {
    }

    /**
     * The configuration with the secrets it lacks taken from the file, which is created on first use. The admin
     * key is only needed while dev tokens are on; a node needing neither touches no file.
     */
    public static LiveDeskConfig fillIn(LiveDeskConfig config) {
        LiveDeskConfig.Auth auth = config.auth();
        boolean needSecret = auth.jwtSecret().isBlank();
        boolean needKey = auth.devTokens() && auth.adminKey().isBlank();
        if (!(needSecret || needKey) || auth.secretsFile().isBlank()) {
            return config;
        }
        Path file = Path.of(auth.secretsFile()).toAbsolutePath().normalize();
        boolean created;
        try {
            created = !Files.exists(file) && create(file);
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("auth: cannot create the secrets file {} ({}): the JWT secret and admin key are new at every"
                    + " start, so tokens and the desk link stop working on restart. Make its folder writable, set"
                    + " livedesk.auth.secrets-file (LIVEDESK_SECRETS_FILE) to a writable place, or set"
                    + " LIVEDESK_JWT_SECRET and LIVEDESK_ADMIN_KEY", file, e.toString());
            return config;
        }
        Properties kept = read(file);
        log.info("auth: the secrets not configured are kept in {} ({})", file,
                created ? "generated now" : "from an earlier start");
        if (needSecret && config.redis().enabled()) {
            log.warn("auth.jwt-secret is not set: tokens minted by this node are valid on other nodes only if they"
                    + " share {}; set LIVEDESK_JWT_SECRET on every node", file);
        }
        return config.withAuth(new LiveDeskConfig.Auth(
                needSecret ? kept.getProperty(JWT_SECRET) : auth.jwtSecret(), auth.issuer(), auth.tokenTtl(),
                auth.devTokens(), needKey ? kept.getProperty(ADMIN_KEY) : auth.adminKey(), auth.secretsFile()));
    }

    /** Writes new secrets unless another process got there first; false then. */
    private static boolean create(Path file) throws IOException {
        String text = "# LiveDesk's generated secrets (livedesk.auth.secrets-file). Keep them private.\n"
                + "# Without this file the server generates new ones, and every token and desk link issued so far"
                + " stops working.\n"
                + JWT_SECRET + "=" + randomHex(32) + "\n"
                + ADMIN_KEY + "=" + randomHex(16) + "\n";
        Path tmp = null;
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, ownerOnly("rwx------"));
            }
            // Written aside and moved in whole, so no one reads a half-written file; the move never replaces a
            // file another process created meanwhile.
            tmp = Files.createTempFile(dir, ".secrets", ".tmp", ownerOnly("rw-------"));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException e) {
                return false;
            }
            return true;
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The permissions as a file attribute where the file system has POSIX permissions, else none. */
    private static FileAttribute<?>[] ownerOnly(String perms) {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))}
                : new FileAttribute<?>[0];
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw unusable(file, "cannot be read (" + e + ")", e);
        }
        String secret = p.getProperty(JWT_SECRET, "");
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32 || p.getProperty(ADMIN_KEY, "").isBlank()) {
            throw unusable(file, "does not hold a " + JWT_SECRET + " of at least 32 bytes and an " + ADMIN_KEY, null);
        }
        warnIfOthersCanRead(file);
        return p;
    }

    private static Unusable unusable(Path file, String problem, Throwable cause) {
        return new Unusable("the secrets file " + file + " " + problem + ": repair it, or delete it to generate"
                + " new secrets (every token and desk link issued so far stops working), or set LIVEDESK_JWT_SECRET"
                + " and LIVEDESK_ADMIN_KEY", cause);
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                log.warn("auth: {} can be read or changed by others than its owner ({}): chmod 600 it", file,
                        PosixFilePermissions.toString(perms));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            log.warn("auth: could not delete {}: {}", tmp, e.toString());
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
