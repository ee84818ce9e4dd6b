package io.livedesk.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.livedesk.testkit.dtls.BrowserDtlsClient;
import io.livedesk.testkit.dtls.DtlsIdentity;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge's DTLS server against a BouncyCastle DTLS client playing the browser, over an
 * in-memory pair of {@link IceDatagramTransport}s: fingerprint check, key export order, and SRTP
 * with the exported keys in both directions. The browser itself is covered by EchoTransportIT.
 */
@Timeout(30)
class DtlsSrtpTransportTest {
    private final BridgeCertificate bridge = BridgeCertificate.generate();
    private final DtlsIdentity browser = DtlsIdentity.generate();

    @Test
    void handshakeVerifiesFingerprintsAndBothSidesExportTheSameSrtpKeys() throws Exception {
        Link link = new Link();
        CompletableFuture<SrtpKeys> serverKeys = new CompletableFuture<>();
        DtlsSrtpServer server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), bridge,
                new DtlsFingerprint("sha-256", browser.fingerprint().toLowerCase()),
                serverKeys::complete, "test");
        try (DtlsSession session = DtlsSession.server(server, link.server, "test")) {
            session.start();
            BrowserDtlsClient client = browserClient();
            DTLSTransport dtls = new DTLSClientProtocol().connect(client, link.client);

            assertEquals(bridge.sha256Fingerprint(), CertificateFingerprint.of("sha-256", client.serverCertificate()));
            assertEquals(SrtpKeys.MATERIAL_LENGTH, client.exported().length);
            SrtpKeys keys = serverKeys.get(5, TimeUnit.SECONDS);
            SrtpKeys clientView = SrtpKeys.fromExportedMaterial(client.exported());
            assertArrayEquals(clientView.clientKey(), keys.clientKey());
            assertArrayEquals(clientView.serverSalt(), keys.serverSalt());

            assertSrtpWorksBothWays(keys);
            dtls.close();
        }
    }

    @Test
    void handshakeFailsWhenTheBrowserCertificateDoesNotMatchItsSdp() throws Exception {
        Link link = new Link();
        AtomicReference<SrtpKeys> serverKeys = new AtomicReference<>();
        BridgeCertificate someoneElse = BridgeCertificate.generate();
        DtlsSrtpServer server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), bridge,
                new DtlsFingerprint("sha-256", someoneElse.sha256Fingerprint()), serverKeys::set, "test");
        try (DtlsSession session = DtlsSession.server(server, link.server, "test")) {
            session.start();
            TlsFatalAlertReceived alert = assertThrows(TlsFatalAlertReceived.class,
                    () -> new DTLSClientProtocol().connect(browserClient(), link.client));
            assertEquals(AlertDescription.bad_certificate, alert.getAlertDescription());
            assertNull(serverKeys.get());
        }
    }

    /** Chromium offers AES-GCM before AES-CM with HMAC-SHA1-80. */
    private BrowserDtlsClient browserClient() {
        return new BrowserDtlsClient(browser, SrtpKeys.MATERIAL_LENGTH, SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
    }

    /** The browser protects with the client half, the bridge with the server half (RFC 5764). */
    private static void assertSrtpWorksBothWays(SrtpKeys bridgeKeys) throws Exception {
        SrtpKeys mirrored = new SrtpKeys(bridgeKeys.serverKey(), bridgeKeys.serverSalt(),
                bridgeKeys.clientKey(), bridgeKeys.clientSalt());
        try (SrtpSession atBridge = new SrtpSession(bridgeKeys, "bridge");
             SrtpSession atBrowser = new SrtpSession(mirrored, "browser")) {
            byte[] rtp = rtp(4711, 0x11223344);
            PacketBuffer fromBrowser = PacketBuffer.copyOf(rtp, 0, rtp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            assertEquals(SrtpErrorStatus.OK, atBrowser.protectRtp(fromBrowser));
            assertEquals(rtp.length + 10, fromBrowser.getLength());
            assertEquals(SrtpErrorStatus.OK, atBridge.unprotectRtp(fromBrowser));
            assertArrayEquals(rtp, java.util.Arrays.copyOfRange(
                    fromBrowser.getBuffer(), fromBrowser.getOffset(), fromBrowser.getOffset() + fromBrowser.getLength()));

            byte[] rtcp = rtcpReceiverReport(0x55667788);
            PacketBuffer fromBridge = PacketBuffer.copyOf(rtcp, 0, rtcp.length, 0); // grow() must reallocate
            assertEquals(SrtpErrorStatus.OK, atBridge.protectRtcp(fromBridge));
            assertEquals(rtcp.length + 14, fromBridge.getLength());
            assertEquals(SrtpErrorStatus.OK, atBrowser.unprotectRtcp(fromBridge));
            assertEquals(rtcp.length, fromBridge.getLength());

            PacketBuffer tampered = PacketBuffer.copyOf(rtp(4712, 0x11223344), 0, rtp.length, 10);
            atBrowser.protectRtp(tampered);
            tampered.getBuffer()[tampered.getOffset() + 20] ^= 1;
            assertEquals(SrtpErrorStatus.AUTH_FAIL, atBridge.unprotectRtp(tampered));
        }
    }

    private static byte[] rtp(int sequence, int ssrc) {
        byte[] p = new byte[12 + 40];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (sequence >> 8);
        p[3] = (byte) sequence;
        writeInt(p, 8, ssrc);
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static byte[] rtcpReceiverReport(int ssrc) {
        byte[] p = new byte[8];
        p[0] = (byte) 0x80;
        p[1] = (byte) 201;
        p[3] = 1;
        writeInt(p, 4, ssrc);
        return p;
    }

    private static void writeInt(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 24);
        p[at + 1] = (byte) (v >>> 16);
        p[at + 2] = (byte) (v >>> 8);
        p[at + 3] = (byte) v;
    }

    /** Two transports wired back to back, as ICE would connect browser and bridge. */
    private static final class Link {
        final AtomicReference<IceDatagramTransport> clientRef = new AtomicReference<>();
        final IceDatagramTransport server = new IceDatagramTransport((b, o, l) -> clientRef.get().deliver(b, o, l));
        final IceDatagramTransport client = new IceDatagramTransport((b, o, l) -> server.deliver(b, o, l));

        Link() {
            clientRef.set(client);
        }
    }
}
