package io.livedesk.signaling.async;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Small helpers for the store steps that return {@link CompletionStage}s: failures come out as the exception
 * that was raised (a ProtocolException, a RedisException), never wrapped, so callers handle them as they
 * would a synchronous call's.
 */
public final class Stages {
    private Stages() {
    }

    /** What a stage failed with, without the CompletionException or ExecutionException around it. */
    public static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Waits here for a stage and returns its value, or throws what it failed with. For synchronous callers of
     * an asynchronous step only: the stage must not need the waiting thread (nor its pool) to complete, as a
     * store's own stages do not (they complete on Lettuce's I/O thread or are complete already).
     */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException | CancellationException e) {
            throw unchecked(e);
        }
    }

    /**
     * The failure as something a lambda may throw: unwrapped, as raised, when unchecked; else in a
     * CompletionException.
     */
    public static RuntimeException unchecked(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CompletionException(cause);
    }

    /**
     * {@code next} on the stage's outcome (its value, or its failure unwrapped), run on {@code executor} when the
     * stage is still under way, else at once on this thread (the caller's, who started the step: a worker).
     * A store's stage completes on Lettuce's I/O thread, where nothing may wait on a store; a plain
     * {@code thenApplyAsync} would also pass a failure on from there. A stage already complete (the in-memory
     * stores') costs no second trip through the pool.
     */
    public static <T, R> CompletionStage<R> handleOn(CompletionStage<T> stage, Executor executor,
                                                     BiFunction<T, Throwable, R> next) {
        BiFunction<T, Throwable, R> unwrapped = (value, failure) -> next.apply(value, failure == null ? null : cause(failure));
        return stage.toCompletableFuture().isDone() ? stage.handle(unwrapped) : stage.handleAsync(unwrapped, executor);
    }

    /** {@link #handleOn} for the stage's value only: a failure skips {@code next} and is passed on. */
    public static <T, R> CompletionStage<R> applyOn(CompletionStage<T> stage, Executor executor, Function<T, R> next) {
        return handleOn(stage, executor, (value, failure) -> {
            if (failure != null) {
                throw unchecked(failure);
            }
            return next.apply(value);
        });
    }

    /** {@link #applyOn} for a {@code next} that answers a stage of its own. */
    public static <T, R> CompletionStage<R> composeOn(CompletionStage<T> stage, Executor executor,
                                                      Function<T, CompletionStage<R>> next) {
        return applyOn(stage, executor, next).thenCompose(Function.identity());
    }

    /** A completed stage holding what {@code work} returns now, or what it throws. */
    public static <T> CompletableFuture<T> now(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
