package io.livedesk.media.transport;

/**
 * The DTLS-SRTP keying material for SRTP_AES128_CM_HMAC_SHA1_80, split as RFC 5764 section 4.2
 * lays it out: client key, server key, client salt, server salt. The browser is the DTLS client,
 * so "client" protects what it sends and "server" what the bridge sends.
 */
public record SrtpKeys(byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {
    static final int KEY_LENGTH = 16;
    static final int SALT_LENGTH = 14;
    public static final int MATERIAL_LENGTH = 2 * (KEY_LENGTH + SALT_LENGTH);

    public static SrtpKeys fromExportedMaterial(byte[] material) {
        if (material.length != MATERIAL_LENGTH) {
            throw new IllegalArgumentException("expected " + MATERIAL_LENGTH + " bytes, got " + material.length);
        }
        byte[] clientKey = new byte[KEY_LENGTH];
        byte[] serverKey = new byte[KEY_LENGTH];
        byte[] clientSalt = new byte[SALT_LENGTH];
        byte[] serverSalt = new byte[SALT_LENGTH];
        int pos = 0;
        System.arraycopy(material, pos, clientKey, 0, KEY_LENGTH);
        pos += KEY_LENGTH;
        System.arraycopy(material, pos, serverKey, 0, KEY_LENGTH);
        pos += KEY_LENGTH;
        System.arraycopy(material, pos, clientSalt, 0, SALT_LENGTH);
        pos += SALT_LENGTH;
        System.arraycopy(material, pos, serverSalt, 0, SALT_LENGTH);
        return new SrtpKeys(clientKey, clientSalt, serverKey, serverSalt);
    }
}
