package io.livedesk.testkit.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Several {@link Chromium}s started side by side and closed side by side: starting one is mostly
 * waiting for chromedriver and the browser process, so a test that needs four pages at once does not
 * have to wait for four starts (or four shutdowns) in a row. Each browser is still its own process with
 * its own profile. If any fails to start, those that did are closed before the failure is thrown.
 */
public final class Browsers implements AutoCloseable {
    private final List<Chromium> browsers;

    private Browsers(List<Chromium> browsers) {
        this.browsers = browsers;
    }

    /** Starts {@code count} browsers at once, each with {@code extraArguments} (see {@link Chromium#Chromium(String...)}). */
    public static Browsers start(int count, String... extraArguments) {
        return start(Collections.nCopies(count, List.of(extraArguments)));
    }

    /** Starts one browser per list of extra Chromium flags, all at once; {@link #get} numbers them in this order. */
    public static Browsers start(List<List<String>> extraArgumentsPerBrowser) {
        ExecutorService pool = Executors.newFixedThreadPool(extraArgumentsPerBrowser.size());
        try {
            List<CompletableFuture<Chromium>> starting = new ArrayList<>();
            for (List<String> extraArguments : extraArgumentsPerBrowser) {
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new Chromium(extraArguments.toArray(String[]::new));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, pool));
            }
            List<Chromium> started = new ArrayList<>();
            Throwable failure = null;
            for (CompletableFuture<Chromium> f : starting) {
                try {
                    started.add(f.join());
                } catch (CompletionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
            if (failure != null) {
                closeAll(started, failure);
                if (failure instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("a browser did not start", failure);
            }
            return new Browsers(List.copyOf(started));
        } finally {
            pool.shutdown();
        }
    }

    /** The {@code i}-th browser, 0-based. */
    public Chromium get(int i) {
        return browsers.get(i);
    }

    /** Closes every browser, all at once; the first failure is thrown once all have been tried. */
    @Override
    public void close() {
        closeAll(browsers, null);
    }

    private static void closeAll(List<Chromium> browsers, Throwable into) {
        if (browsers.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(browsers.size());
        RuntimeException failure = null;
        try {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (Chromium b : browsers) {
                closing.add(CompletableFuture.runAsync(b::close, pool));
            }
            for (CompletableFuture<Void> f : closing) {
                try {
                    f.join();
                } catch (CompletionException e) {
                    if (into != null) {
                        into.addSuppressed(e.getCause());
                    } else if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException re ? re : e;
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
