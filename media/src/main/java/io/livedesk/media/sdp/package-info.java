/**
 * SDP for the bridge: an immutable model ({@link io.livedesk.media.sdp.SessionDescription},
 * {@link io.livedesk.media.sdp.MediaSection} and the records they hold), a bounded, strict
 * {@link io.livedesk.media.sdp.SdpParser} for what browsers send, an
 * {@link io.livedesk.media.sdp.SdpWriter} producing CRLF SDP Chromium accepts, and the two
 * negotiation steps the bridge performs: {@link io.livedesk.media.sdp.AnswerBuilder} (answer a
 * browser's offer, {@code a=setup:passive}) and {@link io.livedesk.media.sdp.OfferBuilder} (offer
 * one m-section per forwarded remote track, {@code a=setup:actpass}).
 *
 * <p>Written from RFC 8866 (SDP), RFC 8829 (JSEP), RFC 8843 (BUNDLE), RFC 8842 / 8122 (DTLS
 * setup and fingerprint), RFC 8839 (ICE attributes), RFC 8285 (extmap), RFC 5576 (ssrc), RFC
 * 4588 (rtx). ice4j's bundled NIST SDP library is deliberately not used.
 */
package io.livedesk.media.sdp;
