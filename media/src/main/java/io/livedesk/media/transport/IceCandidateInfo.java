package io.livedesk.media.transport;

/**
 * One ICE candidate as SDP carries it ({@code a=candidate:foundation component transport
 * priority address port typ type}), the currency between this package and the SDP code.
 */
public record IceCandidateInfo(
        String foundation, int componentId, String transport, long priority,
        String address, int port, String type) {

    /** The value after {@code a=candidate:}. */
    public String toSdpValue() {
        return foundation + " " + componentId + " " + transport.toLowerCase(java.util.Locale.ROOT) + " "
                + priority + " " + address + " " + port + " typ " + type;
    }
}
