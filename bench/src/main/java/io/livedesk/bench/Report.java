package io.livedesk.bench;

import picocli.CommandLine.Option;

/**
 * What a benchmark run prints: a text summary for people, then one JSON line for scripts (always the
 * last line). Mixed into a command, it brings the {@code --json-only} option.
 */
public final class Report {
    @Option(names = "--json-only", description = "print only the JSON line")
    boolean jsonOnly;

    /** One run's results in both forms. */
    public interface Printable {
        String text();

        String json();
    }

    /** Prints {@code result} as the options ask; returns the command's exit code. */
    public int print(Printable result) {
        if (!jsonOnly) {
            System.out.println(result.text());
        }
        System.out.println(result.json());
        return 0;
    }
}
