package io.livedesk.media.bridge;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SimulcastOffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a bridge is told of a browser's transport: the DTLS role the browser takes once answered, never actpass. */
class BridgeSdpTransportTest {
    private final SdpParser parser = new SdpParser();

    @Test
    void anOffersActpassReachesTheBridgeAsTheActiveRoleTheBrowserTakes() throws Exception {
        String offer = SimulcastOffer.CHROMIUM;
        assertTrue(offer.contains("a=setup:actpass"));
        TransportDescription t = BridgeSdp.transport(parser.parse(offer));
        assertEquals(SetupRole.ACTIVE, t.fingerprints().get(0).setup());

        TransportDescription active = BridgeSdp.transport(parser.parse(offer.replace("a=setup:actpass", "a=setup:active")));
        assertEquals(SetupRole.ACTIVE, active.fingerprints().get(0).setup());
    }

    @Test
    void aPassiveOfferLeavesTheBridgeNoRoleAndIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BridgeSdp.transport(
                parser.parse(SimulcastOffer.CHROMIUM.replace("a=setup:actpass", "a=setup:passive"))));
        assertTrue(e.getMessage().contains("passive"), e.getMessage());
    }
}
