package io.livedesk.speech.server;

import java.time.Duration;
import java.util.Objects;

import io.livedesk.speech.api.StreamSpec;

/**
 * How the WebSocket endpoint serves clients.
 *
 * @param port              WebSocket port (0: any free port); Tyrus's Grizzly container listens on all interfaces
 * @param defaultLanguage   language for connections to {@code /}; {@code /{language}} picks another
 * @param defaultSampleRate rate assumed when audio comes before any config (vosk-server uses its own
 *                          configured rate the same way)
 * @param maxFrameBytes     largest binary message; larger ones get an error and close 1009
 * @param idleTimeout       a connection that sends nothing for this long is closed
 * @param maxConnections    open connections at most; more are refused by Tyrus (close 1013)
 * @param ioThreads         Grizzly worker threads that read frames and hand them over (no recognition on them)
 * @param maxPendingReplies replies queued to one client that does not read them before it is dropped
 */
public record ServerSettings(int port, String defaultLanguage, int defaultSampleRate, int maxFrameBytes,
                             Duration idleTimeout, int maxConnections, int ioThreads, int maxPendingReplies) {

    public ServerSettings {
        Objects.requireNonNull(defaultLanguage, "defaultLanguage");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (defaultSampleRate < StreamSpec.MIN_SAMPLE_RATE || defaultSampleRate > StreamSpec.MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("defaultSampleRate out of range: " + defaultSampleRate);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes below 1024: " + maxFrameBytes);
        }
        if (maxConnections < 1 || ioThreads < 1 || maxPendingReplies < 1) {
            throw new IllegalArgumentException("maxConnections, ioThreads and maxPendingReplies must be positive");
        }
    }

    /**
     * Port 2700 (vosk-server's), 16 kHz until configured, 256 KiB frames (2.7 s of 48 kHz audio),
     * 60 s idle, 500 connections, 4 I/O threads, 256 pending replies.
     */
    public static ServerSettings defaults(String defaultLanguage) {
        return new ServerSettings(2700, defaultLanguage, 16000, 256 * 1024, Duration.ofSeconds(60), 500, 4, 256);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(newPort, defaultLanguage, defaultSampleRate, maxFrameBytes, idleTimeout,
                maxConnections, ioThreads, maxPendingReplies);
    }

    public ServerSettings withIdleTimeout(Duration timeout) {
        return new ServerSettings(port, defaultLanguage, defaultSampleRate, maxFrameBytes, timeout, maxConnections,
                ioThreads, maxPendingReplies);
    }

    public ServerSettings withMaxFrameBytes(int bytes) {
        return new ServerSettings(port, defaultLanguage, defaultSampleRate, bytes, idleTimeout, maxConnections,
                ioThreads, maxPendingReplies);
    }
}
