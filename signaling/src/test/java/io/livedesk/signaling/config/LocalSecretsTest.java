package io.livedesk.signaling.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalSecretsTest {
    private static final String CONFIGURED_SECRET = "configured-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private static LiveDeskConfig config(Path file, String jwtSecret, String adminKey, boolean devTokens) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("livedesk.auth.secrets-file", file.toString());
        settings.put("livedesk.auth.jwt-secret", jwtSecret);
        settings.put("livedesk.auth.admin-key", adminKey);
        settings.put("livedesk.auth.dev-tokens", devTokens);
        return LiveDeskConfig.withOverrides(settings);
    }

    @Test
    void theFirstStartCreatesAnOwnerOnlyFileAndLaterStartsReadTheSameSecrets() throws Exception {
        Path file = dir.resolve(".livedesk/secrets.properties");
        LiveDeskConfig.Auth first = LocalSecrets.fillIn(config(file, "", "", true)).auth();

        assertTrue(first.jwtSecret().length() >= 32, "a usable HS256 secret");
        assertFalse(first.adminKey().isBlank());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(first.jwtSecret()) && text.contains(first.adminKey()));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }

        LiveDeskConfig.Auth again = LocalSecrets.fillIn(config(file, "", "", true)).auth();
        assertEquals(first.jwtSecret(), again.jwtSecret());
        assertEquals(first.adminKey(), again.adminKey());
        assertEquals(text, Files.readString(file, StandardCharsets.UTF_8));

        Path other = dir.resolve("other.properties");
        assertNotEquals(first.jwtSecret(), LocalSecrets.fillIn(config(other, "", "", true)).auth().jwtSecret());
    }

    @Test
    void configuredValuesWinAndAreNeverWritten() throws Exception {
        Path file = dir.resolve("secrets.properties");
        LiveDeskConfig both = config(file, CONFIGURED_SECRET, "configured-key", true);
        assertSame(both, LocalSecrets.fillIn(both));
        // Without dev tokens the admin key is never used, so a configured secret is all a node needs.
        LiveDeskConfig noDevTokens = config(file, CONFIGURED_SECRET, "", false);
        assertSame(noDevTokens, LocalSecrets.fillIn(noDevTokens));
        assertFalse(Files.exists(file));

        LiveDeskConfig.Auth secretOnly = LocalSecrets.fillIn(config(file, CONFIGURED_SECRET, "", true)).auth();
        assertEquals(CONFIGURED_SECRET, secretOnly.jwtSecret());
        LiveDeskConfig.Auth keyOnly = LocalSecrets.fillIn(config(file, "", "configured-key", true)).auth();
        assertEquals("configured-key", keyOnly.adminKey());
        assertEquals(secretOnly.adminKey(), LocalSecrets.fillIn(config(file, "", "", true)).auth().adminKey());
        assertEquals(keyOnly.jwtSecret(), LocalSecrets.fillIn(config(file, "", "", true)).auth().jwtSecret());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains(CONFIGURED_SECRET) || text.contains("configured-key"));
    }

    @Test
    void anEmptySettingKeepsNoFile() {
        LiveDeskConfig config = LiveDeskConfig.withOverrides(Map.of("livedesk.auth.secrets-file", "",
                "livedesk.auth.jwt-secret", "", "livedesk.auth.admin-key", ""));
        assertSame(config, LocalSecrets.fillIn(config));
    }

    @Test
    void aCorruptOrUnreadableFileStopsTheStartNamingItAndIsLeftAsItWas() throws Exception {
        Path file = dir.resolve("secrets.properties");
        Files.writeString(file, "jwt-secret=short\n");
        var corrupt = assertThrows(LocalSecrets.Unusable.class, () -> LocalSecrets.fillIn(config(file, "", "", true)));
        assertTrue(corrupt.getMessage().contains(file.toString()), corrupt.getMessage());
        assertFalse(corrupt.getMessage().contains("short"), "the file's values stay out of the message");
        assertEquals("jwt-secret=short\n", Files.readString(file));

        Path badEscape = dir.resolve("escape.properties");
        Files.writeString(badEscape, "jwt-secret=\\uZZZZ\n");
        var malformed = assertThrows(LocalSecrets.Unusable.class,
                () -> LocalSecrets.fillIn(config(badEscape, "", "", true)));
        assertTrue(malformed.getMessage().contains(badEscape.toString()), malformed.getMessage());

        Path folder = Files.createDirectory(dir.resolve("a-folder"));
        var unreadable = assertThrows(LocalSecrets.Unusable.class,
                () -> LocalSecrets.fillIn(config(folder, "", "", true)));
        assertTrue(unreadable.getMessage().contains(folder.toString()), unreadable.getMessage());
    }

    @Test
    void aPlaceWhereNoFileCanBeCreatedLeavesPerStartSecretsAndWritesNothing() throws Exception {
        // A regular file where the folder should be: nothing can be created under it, even by root (which a
        // read-only folder would not stop). A container whose working directory is not writable is this case.
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
        Path file = notAFolder.resolve("secrets.properties");

        LiveDeskConfig config = config(file, "", "", true);
        assertSame(config, LocalSecrets.fillIn(config), "the start goes on as without the setting");
        assertEquals("x", Files.readString(notAFolder), "nothing written");
    }
}
