package io.livedesk.bench;

import io.livedesk.bench.live.LiveBenchmark;
import io.livedesk.bench.load.LoadGenerator;
import io.livedesk.bench.media.AudioTapBenchmark;
import io.livedesk.bench.driver.DriverBenchmark;
import io.livedesk.bench.media.ForwardingBenchmark;
import io.livedesk.bench.speech.SpeechBenchmark;
import io.livedesk.bench.wallboard.WallboardBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The benchmark jar's entry point: one subcommand per benchmark (docs/benchmarks.md). Each
 * subcommand sets up logging itself, so nothing here may log before it runs.
 */
@Command(name = "livedesk-bench", mixinStandardHelpOptions = true,
        description = "LiveDesk benchmarks and load tools.",
        subcommands = {ForwardingBenchmark.class, io.livedesk.bench.sockets.SocketBenchmark.class, AudioTapBenchmark.class, SpeechBenchmark.class, LoadGenerator.class,
                LiveBenchmark.class, WallboardBenchmark.class, DriverBenchmark.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
