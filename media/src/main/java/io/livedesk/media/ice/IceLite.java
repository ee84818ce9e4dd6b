package io.livedesk.media.ice;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ICE-lite agent for every endpoint on one media port (RFC 8445 section 2.5): it never sends checks, it
 * answers the browsers' Binding requests. A request is matched to its endpoint by the USERNAME's local ufrag and
 * trusted only with a MESSAGE-INTEGRITY made with that endpoint's password; from then on datagrams from that
 * address belong to the endpoint ({@link #endpointAt}), and no others do. The browser (controlling, as a lite
 * peer requires) nominates with USE-CANDIDATE: the endpoint then sends to that address. Its regular checks are
 * its consent (RFC 7675): an endpoint whose last valid check is older than the consent timeout has lost it.
 *
 * <p>Thread-safe: requests arrive on the port's I/O threads, registrations on control threads.
 */
public final class IceLite {
    private static final Logger log = LoggerFactory.getLogger(IceLite.class);

    /** One endpoint's ICE state on the port. */
    public static final class Path {
        private final String localUfrag;
        private final byte[] key;
        private final String remoteUfrag;
        private final Object owner;
        private volatile InetSocketAddress selected;
        private volatile boolean nominated;
        private volatile long lastCheckNanos;

        private Path(String localUfrag, String localPassword, String remoteUfrag, Object owner) {
            this.localUfrag = localUfrag;
            this.key = StunBinding.key(localPassword);
            this.remoteUfrag = remoteUfrag;
            this.owner = owner;
        }

        /** What the port hands this endpoint's datagrams to (the endpoint's transport). */
        public Object owner() {
            return owner;
        }

        /** Where to send: the nominated address, or the latest that passed a check before any was nominated. */
        public InetSocketAddress selected() {
            return selected;
        }

        public boolean nominated() {
            return nominated;
        }

        /** Whether a valid check came within {@code timeoutNanos} of {@code nowNanos}. */
        public boolean hasConsent(long nowNanos, long timeoutNanos) {
            return selected != null && nowNanos - lastCheckNanos <= timeoutNanos;
        }
    }

    /** What a datagram that was STUN came to. */
    public enum Outcome { ANSWERED, ROLE_CONFLICT, UNKNOWN_USER, BAD_INTEGRITY, NOT_A_REQUEST, MALFORMED }

    private final Map<String, Path> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Path> byAddress = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /**
     * Starts answering checks for an endpoint. The same local ufrag again (an ICE restart brings new local
     * credentials, so it does not) replaces the previous path.
     */
    public Path register(String localUfrag, String localPassword, String remoteUfrag, Object owner) {
        Path path = new Path(Objects.requireNonNull(localUfrag), Objects.requireNonNull(localPassword), remoteUfrag,
                Objects.requireNonNull(owner));
        Path before = byUfrag.put(localUfrag, path);
        if (before != null) {
            forgetAddresses(before);
        }
        return path;
    }

    /**
     * An ICE restart (RFC 8445 section 9): the endpoint answers checks with new credentials from now on, the old
     * ones are no longer answered, and until the browser's checks on the new ones arrive its media keeps going
     * to and coming from the addresses it used (the browser keeps the old pair meanwhile).
     */
    public Path restart(Path old, String localUfrag, String localPassword, String remoteUfrag) {
        Path path = new Path(Objects.requireNonNull(localUfrag), Objects.requireNonNull(localPassword), remoteUfrag,
                old.owner);
        path.selected = old.selected;
        path.lastCheckNanos = old.lastCheckNanos;
        byUfrag.put(localUfrag, path);
        byUfrag.remove(old.localUfrag, old);
        byAddress.replaceAll((address, p) -> p == old ? path : p);
        return path;
    }

    /** Stops answering for the endpoint, and its addresses no longer reach it. */
    public void unregister(Path path) {
        byUfrag.remove(path.localUfrag, path);
        forgetAddresses(path);
    }

    private void forgetAddresses(Path path) {
        byAddress.values().removeIf(p -> p == path);
    }

    /** The endpoint datagrams from {@code remote} belong to: only an address that passed a check has one. */
    public Path endpointAt(InetSocketAddress remote) {
        return byAddress.get(remote);
    }

    /** Requests answered with an error or dropped (unknown user, bad integrity, malformed), for the counters. */
    public long refused() {
        return refused.get();
    }

    /** The result of {@link #handle}: what happened, and the response's length in {@code out} (0: none). */
    public record Handled(Outcome outcome, int responseLength, Path path) {
    }

    /**
     * Answers a STUN datagram from {@code from}: the response, if any, is written into {@code out} (at least
     * {@link StunBinding#MAX_RESPONSE} bytes) for the caller to send back to {@code from}.
     */
    public Handled handle(byte[] b, int off, int len, InetSocketAddress from, byte[] out, long nowNanos) {
        StunBinding.Request r = StunBinding.read(b, off, len);
        if (r == null) {
            refused.incrementAndGet();
            return new Handled(Outcome.MALFORMED, 0, null);
        }
        if (r.type() != StunBinding.BINDING_REQUEST) {
            return new Handled(Outcome.NOT_A_REQUEST, 0, null); // indications and stray responses: nothing to do
        }
        Path path = r.username() == null ? null : byUfrag.get(r.localUfrag());
        if (path == null || (path.remoteUfrag != null && !r.username().equals(path.localUfrag + ":" + path.remoteUfrag))) {
            refused.incrementAndGet();
            log.debug("STUN check from {} for an unknown username", from);
            return new Handled(Outcome.UNKNOWN_USER, 0, null);
        }
        if (!StunBinding.verify(b, off, len, r, path.key)) {
            // Not answered: an unauthenticated check must not make the port reflect traffic.
            refused.incrementAndGet();
            return new Handled(Outcome.BAD_INTEGRITY, 0, path);
        }
        if (r.role() == StunBinding.ICE_CONTROLLED) {
            // A lite agent is always controlled: the peer must take the controlling role (RFC 8445 7.3.1.1).
            return new Handled(Outcome.ROLE_CONFLICT,
                    StunBinding.writeError(out, r.transactionId(), 487, "Role Conflict", path.key), path);
        }
        path.lastCheckNanos = nowNanos;
        if (byAddress.put(from, path) != path) {
            log.debug("endpoint {} reachable at {}", path.localUfrag, from);
        }
        if (r.useCandidate()) {
            path.selected = from;
            path.nominated = true;
        } else if (!path.nominated) {
            path.selected = from;
        }
        return new Handled(Outcome.ANSWERED, StunBinding.writeSuccess(out, r.transactionId(), from, path.key), path);
    }
}
