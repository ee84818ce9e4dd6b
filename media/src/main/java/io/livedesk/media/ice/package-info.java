/**
 * ICE on the bridge's own media port (issue 12): STUN binding requests answered as an ICE-lite agent
 * (RFC 8445 section 2.5), so the port can run on {@link io.livedesk.media.io.MediaSocket} instead of an ice4j
 * agent per endpoint. {@link io.livedesk.media.ice.StunBinding} is the wire format, {@link
 * io.livedesk.media.ice.IceLite} the agent.
 */
package io.livedesk.media.ice;
