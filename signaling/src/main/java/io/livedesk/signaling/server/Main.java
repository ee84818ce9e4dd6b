package io.livedesk.signaling.server;

import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.config.LocalSecrets;
import io.livedesk.speech.engine.SpeechModelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Starts one LiveDesk node and prints where to open it. */
@Command(name = "livedesk", mixinStandardHelpOptions = true, version = "LiveDesk 0.1.0",
        description = "The LiveDesk signaling server (embedded defaults unless configured).")
public final class Main implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "a HOCON configuration file over the defaults")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        LiveDeskConfig config = configFile == null ? LiveDeskConfig.load() : LiveDeskConfig.load(configFile);
        try {
            // Only the server command keeps generated secrets: nodes built in tests and tools leave no files.
            config = LocalSecrets.fillIn(config);
        } catch (LocalSecrets.Unusable e) {
            System.err.println("livedesk: " + e.getMessage());
            return 2;
        }
        LiveDeskNode node;
        try {
            node = new LiveDeskNode(config);
        } catch (SpeechModelException e) {
            // A configured model that is missing or unreadable: say which, and do not start half-working.
            System.err.println("livedesk: " + e.getMessage()
                    + "; fix livedesk.speech.models / LIVEDESK_SPEECH_MODELS_DIR, or remove the model to run without speech");
            return 2;
        }
        try {
            node.start();
        } catch (Exception e) {
            node.close();
            if (e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException) {
                System.err.println("livedesk: cannot listen on " + config.server().host() + ":" + config.server().port()
                        + " (" + e.getMessage() + "); set LIVEDESK_PORT to a free port");
                return 2;
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "ld-shutdown"));
        printBanner(node);
        stopped.await();
        return 0;
    }

    private static void printBanner(LiveDeskNode node) {
        String base = node.config().server().publicUrl().isBlank()
                ? "http://localhost:" + node.port() : node.config().server().publicUrl().replaceAll("/$", "");
        StringBuilder b = new StringBuilder("\n  LiveDesk is running (node ").append(node.nodeId()).append(")\n\n");
        if (node.config().demoEnabled()) {
            b.append("  Customer (demo bank page):  ").append(base).append("/\n");
            b.append("  Livestreams (viewers):      ").append(base).append("/live/\n");
        }
        if (node.config().auth().devTokens()) {
            // The fragment never reaches a server log; the key only mints demo tokens. Unless configured it is
            // kept in auth.secrets-file, so the link stays valid across restarts.
            b.append("  Staff desk (demo sign-in):  ").append(base).append("/console/#key=").append(node.adminKey()).append('\n');
        } else {
            b.append("  Staff desk:                 ").append(base).append("/console/\n");
        }
        b.append("  Health / metrics:           ").append(base).append("/healthz  ").append(base).append("/metrics\n");
        System.out.println(b);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
