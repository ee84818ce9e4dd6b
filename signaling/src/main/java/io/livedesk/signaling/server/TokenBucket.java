package io.livedesk.signaling.server;

/** A per-connection rate limit: {@code ratePerSecond} sustained, {@code burst} at once. Not thread-safe. */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;

    public TokenBucket(int ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    public boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
