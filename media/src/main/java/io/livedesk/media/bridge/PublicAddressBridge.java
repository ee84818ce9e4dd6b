package io.livedesk.media.bridge;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.TransportDescription;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bridge behind NAT (or bound to a wildcard address): its UDP port binds a local address, and browsers are
 * told other addresses. This decorator replaces every host candidate of the transports the bridge hands out
 * with one host candidate per public address, same port, in the order given (the first preferred).
 *
 * <p>Why here and not in ice4j: ice4j never needs to know. Browsers' checks reach the public address, the
 * NAT (or the kernel, for a wildcard bind) delivers them to the bound socket, and the shared port
 * demultiplexes by ICE username whatever address they were sent to. Jitsi Videobridge's static
 * {@code MappingCandidateHarvester} adds a server-reflexive candidate instead; a host candidate is what a
 * 1:1 NAT really is, and keeps the answer to one candidate per address.
 *
 * <p>Only replies change; requests, stats and expiry pass through. Closing this closes the wrapped bridge.
 */
public final class PublicAddressBridge implements Bridge {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final Bridge bridge;
    private final List<String> publicAddresses;

    private PublicAddressBridge(Bridge bridge, List<String> publicAddresses) {
        this.bridge = bridge;
        this.publicAddresses = publicAddresses;
    }

    /**
     * @param publicAddresses IP literals to advertise; empty to advertise what the bridge binds
     * @return {@code bridge} itself when there is nothing to advertise instead
     * @throws IllegalArgumentException for an address that is not an IP literal usable as a candidate
     */
    public static Bridge wrap(Bridge bridge, List<String> publicAddresses) {
        Objects.requireNonNull(bridge, "bridge");
        List<String> addresses = validate(publicAddresses);
        return addresses.isEmpty() ? bridge : new PublicAddressBridge(bridge, addresses);
    }

    /**
     * Checks public addresses as an operator wrote them: IP literals (no host names, which would need DNS
     * at each call and cannot go into an SDP candidate), not wildcard, loopback allowed (tests, one-machine
     * demos), no duplicates.
     *
     * @return the addresses, trimmed, in order
     */
    public static List<String> validate(List<String> publicAddresses) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String raw : publicAddresses == null ? List.<String>of() : publicAddresses) {
            String a = raw == null ? "" : raw.trim();
            if (!isIpLiteral(a)) {
                throw new IllegalArgumentException("public address must be an IP address (no host name): '" + raw + "'");
            }
            if (isWildcard(a)) {
                throw new IllegalArgumentException("public address cannot be a wildcard: " + a);
            }
            if (!out.add(a)) {
                throw new IllegalArgumentException("public address listed twice: " + a);
            }
        }
        return List.copyOf(out);
    }

    /** True for {@code 0.0.0.0} and {@code ::}: a bind address that cannot be advertised. */
    public static boolean isWildcard(String address) {
        if (!isIpLiteral(address)) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isIpLiteral(String a) {
        if (a.isEmpty()) {
            return false;
        }
        var v4 = IPV4.matcher(a);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!a.contains(":") || !IPV6.matcher(a).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(a); // a literal: parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The advertised addresses, first preferred. */
    public List<String> publicAddresses() {
        return publicAddresses;
    }

    @Override
    public String id() {
        return bridge.id();
    }

    @Override
    public ConferenceReply apply(ConferenceRequest request) throws BridgeException {
        ConferenceReply reply = bridge.apply(request);
        List<ConferenceReply.EndpointReply> endpoints = new ArrayList<>(reply.endpoints().size());
        for (ConferenceReply.EndpointReply e : reply.endpoints()) {
            endpoints.add(e.transport() == null ? e
                    : new ConferenceReply.EndpointReply(e.id(), advertise(e.transport()), e.expired()));
        }
        List<ConferenceReply.RelayReply> relays = new ArrayList<>(reply.relays().size());
        for (ConferenceReply.RelayReply r : reply.relays()) {
            // Another bridge reaches a relay at the addresses browsers reach endpoints at.
            relays.add(r.transport() == null ? r
                    : new ConferenceReply.RelayReply(r.id(), advertise(r.transport()), r.expired()));
        }
        return new ConferenceReply(endpoints, reply.bridgeSources(), relays);
    }

    /** The transport with each host candidate replaced by one per public address. */
    TransportDescription advertise(TransportDescription transport) {
        List<TransportDescription.Candidate> candidates = new ArrayList<>();
        for (TransportDescription.Candidate c : transport.candidates()) {
            if (!"host".equals(c.type())) {
                candidates.add(c);
                continue;
            }
            for (int i = 0; i < publicAddresses.size(); i++) {
                // Distinct foundations (different base addresses, RFC 8445 5.1.1.3) and priorities, first highest.
                String foundation = i == 0 ? c.foundation() : c.foundation() + i;
                candidates.add(new TransportDescription.Candidate(foundation, c.component(), c.protocol(),
                        Math.max(0, c.priority() - i), publicAddresses.get(i), c.port(), c.type()));
            }
        }
        return new TransportDescription(transport.ufrag(), transport.pwd(), transport.fingerprints(), candidates,
                transport.rtcpMux(), transport.iceLite());
    }

    @Override
    public void expire(MeetingId meetingId) throws BridgeException {
        bridge.expire(meetingId);
    }

    @Override
    public BridgeStats stats() throws BridgeException {
        return bridge.stats();
    }

    @Override
    public void drain(boolean enable) throws BridgeException {
        bridge.drain(enable);
    }

    @Override
    public ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        return bridge.conferenceStats(meetingId);
    }

    @Override
    public List<EndpointMedia> mediaStatus(Collection<MeetingId> meetingIds) throws BridgeException {
        return bridge.mediaStatus(meetingIds);
    }

    @Override
    public void close() {
        bridge.close();
    }
}
