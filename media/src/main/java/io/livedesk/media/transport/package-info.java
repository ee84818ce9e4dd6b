/**
 * The bridge's media transport to browsers: one UDP port ({@link io.livedesk.media.transport.UdpTransportHarvester})
 * shared by all endpoints, and per endpoint an ICE agent (ice4j), a DTLS-SRTP handshake
 * (BouncyCastle, bridge is DTLS server / {@code a=setup:passive}) and SRTP contexts (jitsi-srtp),
 * joined in {@link io.livedesk.media.transport.EndpointTransport}. RTP/RTCP parsing and SDP live in
 * their own packages; this one moves encrypted datagrams and hands out plain RTP/RTCP.
 */
package io.livedesk.media.transport;
