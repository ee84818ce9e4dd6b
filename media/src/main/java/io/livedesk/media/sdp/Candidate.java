package io.livedesk.media.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ICE candidate line (RFC 8839 section 5.1):
 * {@code <foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <a> rport <p>] *(<name> <value>)}.
 *
 * @param relatedAddress null when absent
 * @param relatedPort -1 when absent
 * @param extensions trailing name/value pairs (generation, network-id, tcptype, …), in order
 */
public record Candidate(String foundation, int component, String transport, long priority,
                        String address, int port, String type,
                        String relatedAddress, int relatedPort, Map<String, String> extensions) {

    /** Host type preference 126, local preference 65535 (RFC 8445 section 5.1.2.1). */
    private static final long HOST_PRIORITY_COMPONENT_1 = (126L << 24) | (65535L << 8) | (256 - 1);

    public Candidate {
        SdpSyntax.token("candidate foundation", foundation);
        if (foundation.length() > 32 || !foundation.chars().allMatch(c -> IceParameters.isIceChar((char) c))) {
            throw new IllegalArgumentException("candidate foundation must be 1 to 32 ice-chars");
        }
        SdpSyntax.inRange("candidate component", component, 1, 256);
        SdpSyntax.token("candidate transport", transport);
        SdpSyntax.inRange("candidate priority", priority, 0, SdpSyntax.MAX_UINT32);
        SdpSyntax.token("candidate address", address);
        SdpSyntax.inRange("candidate port", port, 0, 65535);
        SdpSyntax.token("candidate type", type);
        if (relatedAddress != null) {
            SdpSyntax.token("candidate raddr", relatedAddress);
        }
        SdpSyntax.inRange("candidate rport", relatedPort, -1, 65535);
        Map<String, String> copy = new LinkedHashMap<>();
        extensions.forEach((k, v) -> copy.put(SdpSyntax.token("candidate extension name", k),
                SdpSyntax.token("candidate extension value", v)));
        extensions = Collections.unmodifiableMap(copy);
    }

    /** A UDP host candidate for RTP (component 1), as the bridge advertises its bound address. */
    public static Candidate udpHost(String foundation, String address, int port) {
        return new Candidate(foundation, 1, "udp", HOST_PRIORITY_COMPONENT_1, address, port, "host", null, -1, Map.of());
    }

    /** The attribute value after {@code candidate:}. */
    public String attributeValue() {
        StringBuilder out = new StringBuilder()
                .append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            out.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            out.append(" rport ").append(relatedPort);
        }
        extensions.forEach((k, v) -> out.append(' ').append(k).append(' ').append(v));
        return out.toString();
    }
}
