/**
 * The in-process selective forwarding unit behind {@link io.livedesk.media.api.Bridge}.
 *
 * <p>Objects (after mediasoup): {@link io.livedesk.media.bridge.LocalBridge} owns the one UDP port,
 * the DTLS certificate and the conferences; a {@code Conference} (Router) holds {@code Endpoint}s
 * (Transport + Producers) and an immutable SSRC table that maps every SSRC to its
 * {@code SenderStream}. Signaling changes publish new snapshots; the packet path never locks them.
 *
 * <p>Packet path (after Jitsi Videobridge's pipeline, one small class per node, and mediasoup's
 * listener interfaces), per endpoint on its transport's receive thread. Each conference builds one
 * {@code PacketPath} of stages behind narrow interfaces ({@code RtpStage}, {@code RtcpStage}, the
 * {@code ConferenceRouting} view of the SSRC table and endpoints); the receiver calls only those:
 * <pre>
 *   EndpointTransport (decrypt) -> EndpointReceiver (count, activity, first packet: keyframes)
 *     RTP  -> SSRC table (unknown/foreign SSRC: drop, counted) -> SenderStream (loss, NACK cache)
 *          -> RtpForwarder -> every other Endpoint (unchanged; its transport re-encrypts)
 *          -> AudioTapFeed: audio of a tapped endpoint to AudioTap.offer (copy, queue; decoded on the tap pool)
 *     RTCP -> FeedbackRouter, per packet:
 *          NACK -> NackResponder (resend from cache to the asker; the rest: NACK to the sender)
 *          PLI/FIR -> KeyframeRequester (to the stream's owner, from the bridge's SSRC, throttled)
 *          REMB -> remembered per receiver;  SR -> relayed, RTT;  RR -> loss/RTT, relayed to owners
 * </pre>
 * The {@code Housekeeper} (one named thread) requests keyframes for endpoints that became secure,
 * expires endpoints whose ICE failed or that went quiet, measures rates and stress, and has the
 * {@code BandwidthEstimator} send every video sender a REMB: the lowest fresh REMB of the other
 * endpoints, else a ceiling (2.5 Mbps by default), never below a floor.
 * {@link io.livedesk.media.bridge.BridgeCodecPolicy} is the SDP that matches this behaviour.
 */
package io.livedesk.media.bridge;
