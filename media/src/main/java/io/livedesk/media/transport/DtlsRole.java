package io.livedesk.media.transport;

/**
 * Which end of the DTLS handshake the bridge takes on a transport. Toward browsers always {@link #SERVER} (the
 * bridge answers {@code a=setup:passive}); on a relay to another bridge one side must be {@link #CLIENT}: two
 * servers would each wait for a ClientHello that never comes.
 */
public enum DtlsRole {
    /** Waits for the peer's ClientHello ({@code setup:passive}). */
    SERVER,
    /** Sends the ClientHello ({@code setup:active}). */
    CLIENT
}
