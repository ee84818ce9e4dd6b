package io.livedesk.bench.sockets;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps Janus's media on loopback. Janus (and libnice under it) gathers ICE candidates on every interface
 * except those flagged loopback, so with only {@code lo} it has no candidate, and on a host it would offer the
 * host's own network addresses, which this benchmark must not send to. A loopback address on an interface that
 * is not {@code lo} fixes that: Janus is told to gather only that address ({@link JanusConfig}), and all of
 * 127.0.0.0/8 is delivered locally whatever interface holds it. The same address must be on {@code lo} as
 * well: libnice pins each socket to the interface it finds its address on first ({@code IP_UNICAST_IF}), and
 * the kernel refuses (EINVAL) to send from a loopback address out of any interface but a loopback one;
 * {@code lo} comes first.
 *
 * <p>Rather than add addresses and an interface to the host, the benchmark re-runs itself in a private network
 * namespace ({@code unshare --net}, root needed) in which {@code lo} is up and {@value #ALIAS} sits on
 * {@code lo} and on an interface of its own; the namespace ends with the run. Every target of the run,
 * LiveDesk's too, then runs in it.
 */
final class LoopbackNamespace {
    /** The address Janus's ICE uses inside the namespace. */
    static final String ALIAS = "127.0.0.2";
    static final String INTERFACE = "ldbench0";
    /** Set in the re-run's environment: the namespace is made, do not make another. */
    static final String MARK = "LIVEDESK_BENCH_NETNS";

    private LoopbackNamespace() {
    }

    /**
     * An IPv4 loopback address, other than 127.0.0.1, that is on an interface that is up and is not the
     * loopback interface, and on the loopback interface too; if any.
     */
    static Optional<String> aliasAddress() throws SocketException {
        Set<InetAddress> onLoopback = new HashSet<>();
        Set<InetAddress> elsewhere = new LinkedHashSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && a.isLoopbackAddress()) {
                    (nic.isLoopback() ? onLoopback : elsewhere).add(a);
                }
            }
        }
        return elsewhere.stream().filter(onLoopback::contains).map(InetAddress::getHostAddress).findFirst();
    }

    /** Whether this process is the re-run inside the namespace. */
    static boolean inside() {
        return System.getenv(MARK) != null;
    }

    /**
     * The shell script run by {@code unshare --net}: brings {@code lo} up, puts {@value #ALIAS} on {@code lo} and
     * on an interface of its own (dummy where the kernel has it, else ifb; both are up without a peer), then
     * execs its arguments.
     */
    static String setupScript() {
        return "set -e; ip link set lo up; ip addr add " + ALIAS + "/32 dev lo; "
                + "ip link add " + INTERFACE + " type dummy 2>/dev/null || ip link add " + INTERFACE + " type ifb; "
                + "ip addr add " + ALIAS + "/32 dev " + INTERFACE + "; ip link set " + INTERFACE + " up; "
                + "exec \"$@\"";
    }

    /**
     * Runs this benchmark again, with the same JVM options and {@code args}, in a new network namespace set up
     * by {@link #setupScript()}; its output is this process's. Returns its exit code.
     */
    static int rerunInside(Class<?> mainClass, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("unshare", "--net", "--", "sh", "-c", setupScript(), "sh"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(MARK, "1");
        Process rerun = builder.start();
        // If this process is stopped, the re-run (and through its own hooks, its servers) stops too.
        Thread stop = new Thread(rerun::destroy, "bench-netns-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return rerun.waitFor();
        } finally {
            rerun.destroy();
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }
}
