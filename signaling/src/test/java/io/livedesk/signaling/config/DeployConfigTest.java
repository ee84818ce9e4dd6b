package io.livedesk.signaling.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.livedesk.media.server.BridgeMain;
import io.livedesk.speech.server.SpeechMain;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The files under deploy/ describe one topology (two signaling nodes, Redis, two bridge nodes, a speech node; or
 * Jitsi Videobridges in place of the bridge nodes) several times over: the sample configuration, the compose file,
 * nginx.conf, the Dockerfile, the Videobridge settings and the Kubernetes manifests. This test reads each with the
 * code that reads it for real where there is one (signaling's configuration loader, the bridge and speech nodes'
 * command lines, HOCON for Jitsi Videobridge) and checks that every side names the same ports, so that changing
 * one of them alone fails here. Only files inside the repository are read, found from this module's folder.
 */
class DeployConfigTest {
    private static final Path REPO = repositoryRoot();
    private static final Path DEPLOY = REPO.resolve("deploy");
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Jitsi Videobridge's own health path (COLIBRI2.md); not in this repository's source, unlike ours. */
    private static final String JVB_HEALTH = "/about/health";

    // ---------------------------------------------------------------- sample configuration

    @Test
    void theSampleConfigurationLoadsThroughTheServersLoaderAndNamesOnlyKnownKeys() {
        Path sample = DEPLOY.resolve("livedesk.conf.sample");
        LiveDeskConfig plain = LiveDeskConfig.load(sample);
        assertEquals(6379, URI.create(plain.redis().url()).getPort());
        assertUnknownKeys(sample);
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeSignalingReachesTheBridgeNodesTheSpeechNodeAndRedisOnTheirPorts() {
        Map<String, String> env = composeEnv(Map.of());
        Map<String, JsonNode> services = composeServices(env);
        JsonNode signaling = services.get("livedesk-a");
        assertNotNull(services.get("livedesk-b"), "two signaling nodes");
        LiveDeskConfig cfg = loadWithEnv(DEPLOY.resolve("livedesk.conf.sample"), environment(signaling));

        // signaling's HTTP port: what it listens on, what compose exposes, what nginx sends to
        int http = cfg.server().port();
        assertEquals(Set.of(http), exposed(signaling), "livedesk-a expose");
        Matcher upstream = Pattern.compile("server\\s+([\\w-]+):(\\d+)").matcher(read(DEPLOY.resolve("nginx.conf")));
        List<String> upstreams = new ArrayList<>();
        while (upstream.find()) {
            upstreams.add(upstream.group(1));
            assertEquals(http, Integer.parseInt(upstream.group(2)), "nginx.conf upstream " + upstream.group(1));
        }
        assertEquals(List.of("livedesk-a", "livedesk-b"), upstreams);
        assertEquals(Set.of(http), dockerfileExposes("signaling"), "Dockerfile target signaling EXPOSE");

        // Redis
        URI redis = URI.create(cfg.redis().url());
        JsonNode redisService = services.get(redis.getHost());
        assertNotNull(redisService, "a compose service named like the Redis URL's host " + redis);
        assertEquals(Set.of(redis.getPort()), exposed(redisService));
        assertEquals(String.valueOf(redis.getPort()), argAfter(strings(redisService.get("command")), "--port"));

        // the bridge nodes: signaling's list, their --http-port, their UDP port published under its own number
        assertTrue(cfg.calls().bridged());
        List<URI> remote = cfg.bridge().remote();
        assertEquals(2, remote.size(), "two bridge nodes: " + remote);
        for (URI bridgeUrl : remote) {
            JsonNode bridge = services.get(bridgeUrl.getHost());
            assertNotNull(bridge, "a compose service for " + bridgeUrl);
            assertEquals(List.of("livedesk-bridges"), strings(bridge.get("profiles")));
            CommandLine cli = bridgeCli(strings(bridge.get("command")));
            int rest = option(cli, "--http-port");
            assertEquals(rest, bridgeUrl.getPort(), bridgeUrl + " vs the bridge's --http-port");
            assertEquals(Set.of(rest), exposed(bridge), bridgeUrl.getHost() + " expose (REST stays inside)");
            int media = option(cli, "--media-port");
            int relay = option(cli, "--relay-port");
            assertNotEquals(0, relay, bridgeUrl.getHost() + ": a fixed relay port, to publish");
            assertEquals(List.of(new Published(media, media, "udp"), new Published(relay, relay, "udp")),
                    published(bridge), bridgeUrl.getHost()
                            + ": the media and relay ports, published under the numbers they advertise");
            assertEquals("0.0.0.0", option(cli, "--http-host"), "reachable from signaling on the compose network");
            assertEquals(List.of(env.get("LIVEDESK_MEDIA_PUBLIC_IP")), option(cli, "--public-address"));
        }
        assertEquals(2, remote.stream().map(u -> published(services.get(u.getHost())).get(0).host()).distinct().count(),
                "two bridges on one host need two UDP ports");
        int firstRest = option(bridgeCli(strings(services.get(remote.get(0).getHost()).get("command"))), "--http-port");
        int defaultMedia = option(bridgeCli(List.of()), "--media-port");
        assertEquals(Set.of(firstRest, defaultMedia), dockerfileExposes("bridge"),
                "Dockerfile target bridge EXPOSE: REST port and the default media port");

        // the speech node: signaling's URL, its --port
        assertEquals(io.livedesk.speech.SpeechConfig.Engine.REMOTE, cfg.speech().engine().engine());
        List<String> nodes = cfg.speech().engine().remote().nodes();
        assertEquals(1, nodes.size(), nodes.toString());
        URI speechUrl = URI.create(nodes.get(0).replace("{language}", "en"));
        JsonNode speech = services.get(speechUrl.getHost());
        assertNotNull(speech, "a compose service for " + speechUrl);
        CommandLine speechCli = speechCli(strings(speech.get("command")));
        int ws = option(speechCli, "--port");
        int health = option(speechCli, "--http-port");
        assertEquals(ws, speechUrl.getPort(), speechUrl + " vs the speech node's --port");
        assertEquals(Set.of(ws, health), exposed(speech));
        assertEquals(Set.of(ws, health), dockerfileExposes("speech"), "Dockerfile target speech EXPOSE");
        Map<String, String> models = option(speechCli, "--model");
        assertEquals(Set.of("en", "zh"), models.keySet());
        String mount = strings(speech.get("volumes")).get(0);
        assertTrue(mount.endsWith(":" + option(speechCli, "--models").toString() + ":ro"), mount);
    }

    @Test
    void composeJitsiProfileRunsVideobridgesWithRestOnAndSignalingCanPointAtThem() {
        Config jvbConf = hocon(DEPLOY.resolve("jitsi-videobridge/jvb.conf"));
        Config customConf = hocon(DEPLOY.resolve("jitsi-videobridge/custom-jvb.conf"));
        int rest = jvbConf.getInt("videobridge.http-servers.private.port");
        int udp = jvbConf.getInt("videobridge.ice.udp.port");
        assertEquals(rest, customConf.getInt("videobridge.http-servers.private.port"), "custom-jvb.conf vs jvb.conf");
        for (Config c : List.of(jvbConf, customConf)) {
            assertTrue(c.getInt("videobridge.cc.initial-max-height-px") > 0, "video without a bridge channel");
            assertFalse(c.getBoolean("videobridge.sctp.enabled"));
        }
        assertTrue(jvbConf.getBoolean("videobridge.apis.rest.enabled"));
        assertFalse(jvbConf.getBoolean("videobridge.health.require-valid-address"));
        assertTrue(jvbConf.getBoolean("videobridge.relay.enabled"));

        // .env documents how to switch: the profile and signaling's bridge list
        Matcher switchLine = Pattern.compile("COMPOSE_PROFILES=jitsi LIVEDESK_BRIDGE_REMOTE=(\\S+)")
                .matcher(read(DEPLOY.resolve(".env")));
        assertTrue(switchLine.find(), "deploy/.env names the jitsi switch");
        Map<String, String> env = composeEnv(Map.of("COMPOSE_PROFILES", "jitsi",
                "LIVEDESK_BRIDGE_REMOTE", switchLine.group(1)));
        Map<String, JsonNode> services = composeServices(env);
        LiveDeskConfig cfg = loadWithEnv(DEPLOY.resolve("livedesk.conf.sample"), environment(services.get("livedesk-b")));
        List<URI> remote = cfg.bridge().remote();
        assertEquals(2, remote.size(), remote.toString());
        Set<String> relayIds = new TreeSet<>();
        Set<Integer> udpPorts = new TreeSet<>();
        for (URI jvbUrl : remote) {
            JsonNode jvb = services.get(jvbUrl.getHost());
            assertNotNull(jvb, "a compose service for " + jvbUrl);
            assertEquals(List.of("jitsi"), strings(jvb.get("profiles")));
            assertTrue(jvb.get("image").asText().startsWith("jitsi/jvb:"), "the official image");
            assertEquals(rest, jvbUrl.getPort(), jvbUrl + " vs jvb.conf's private REST port");
            assertEquals(Set.of(rest), exposed(jvb), jvbUrl.getHost() + " expose (REST stays inside)");
            Map<String, String> jvbEnv = environment(jvb);
            assertEquals("true", jvbEnv.get("COLIBRI_REST_ENABLED"));
            assertEquals("1", jvbEnv.get("JVB_DISABLE_XMPP"));
            assertEquals("1", jvbEnv.get("ENABLE_OCTO"));
            assertEquals(env.get("LIVEDESK_MEDIA_PUBLIC_IP"), jvbEnv.get("JVB_ADVERTISE_IPS"));
            relayIds.add(jvbEnv.get("JVB_OCTO_RELAY_ID"));
            int port = Integer.parseInt(jvbEnv.get("JVB_PORT"));
            udpPorts.add(port);
            assertEquals(List.of(new Published(port, port, "udp")), published(jvb), jvbUrl.getHost() + " JVB_PORT");
            assertTrue(strings(jvb.get("volumes")).contains("./jitsi-videobridge/custom-jvb.conf:/config/custom-jvb.conf:ro"));
        }
        assertEquals(2, relayIds.size(), "a relay-id per bridge: " + relayIds);
        assertEquals(2, udpPorts.size(), "a UDP port per bridge on one host: " + udpPorts);
        assertEquals(udp, udpPorts.iterator().next(), "the first Videobridge on jvb.conf's UDP port");
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void kubernetesSignalingRedisBridgesAndSpeechAgreeOnPortsAndProbeRealEndpoints() throws IOException {
        Map<String, JsonNode> k8s = manifests(KUBERNETES.resolve("common"));
        k8s.putAll(manifests(KUBERNETES));
        JsonNode deployment = k8s.get("Deployment/livedesk");
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        JsonNode container = container(deployment);
        LiveDeskConfig cfg = loadWithEnv(configMapFile(k8s.get("ConfigMap/livedesk-config"), "livedesk.conf"),
                environment(container));
        assertUnknownKeys(configMapFile(k8s.get("ConfigMap/livedesk-config"), "livedesk.conf"));

        // signaling
        int http = cfg.server().port();
        assertEquals(http, port(container, "http"), "signaling containerPort http vs server.port");
        assertProbe(container, "readinessProbe", "/readyz", http, "signaling");
        assertProbe(container, "livenessProbe", "/healthz", http, "signaling");
        assertServiceTargets(k8s.get("Service/livedesk"), container, http);

        // Redis (the Secret's URL is the operator's; README.md's example names this Service)
        JsonNode redis = container(k8s.get("StatefulSet/livedesk-redis"));
        int redisPort = Integer.parseInt(argAfter(strings(redis.get("args")), "--port"));
        assertEquals(redisPort, port(redis, "redis"), "Redis containerPort vs --port");
        assertEquals(redisPort, k8s.get("Service/livedesk-redis").at("/spec/ports/0/port").asInt(), "Redis Service port");
        assertServiceTargets(k8s.get("Service/livedesk-redis"), redis, redisPort);
        assertTrue(read(DEPLOY.resolve("README.md")).contains("redis://livedesk-redis:" + redisPort));

        // bridge nodes: signaling's list (env), the StatefulSet's pods behind the headless Service
        JsonNode bridgeSet = k8s.get("StatefulSet/livedesk-bridge");
        JsonNode bridge = container(bridgeSet);
        CommandLine bridgeCli = bridgeCli(strings(bridge.get("args")));
        int rest = option(bridgeCli, "--http-port");
        int media = option(bridgeCli, "--media-port");
        assertEquals(rest, port(bridge, "http"), "bridge containerPort http vs --http-port");
        assertEquals(media, port(bridge, "media"), "bridge containerPort media vs --media-port");
        assertEquals("UDP", portEntry(bridge, "media").get("protocol").asText());
        int relayPort = option(bridgeCli, "--relay-port");
        assertEquals(relayPort, port(bridge, "relay"), "bridge containerPort relay vs --relay-port");
        assertEquals("UDP", portEntry(bridge, "relay").get("protocol").asText());
        assertTrue(bridgeSet.at("/spec/template/spec/hostNetwork").asBoolean(), "media on the node's address");
        assertProbe(bridge, "readinessProbe", "/about/health", rest, "media");
        assertProbe(bridge, "livenessProbe", "/about/health", rest, "media");
        JsonNode bridgeService = k8s.get("Service/livedesk-bridge");
        assertServiceTargets(bridgeService, bridge, rest);
        assertEquals(bridgeSet.at("/spec/serviceName").asText(), bridgeService.at("/metadata/name").asText());
        List<URI> remote = cfg.bridge().remote();
        assertEquals(bridgeSet.at("/spec/replicas").asInt(), remote.size());
        for (int i = 0; i < remote.size(); i++) {
            assertEquals(URI.create("http://livedesk-bridge-" + i + "." + bridgeService.at("/metadata/name").asText()
                    + ":" + bridgeService.at("/spec/ports/0/port").asInt()), remote.get(i));
            assertEquals(rest, remote.get(i).getPort());
        }

        // speech node: signaling's URL names the Service, the Service targets --port, probes --http-port
        JsonNode speech = container(k8s.get("Deployment/livedesk-speech"));
        CommandLine speechCli = speechCli(strings(speech.get("args")));
        int ws = option(speechCli, "--port");
        int health = option(speechCli, "--http-port");
        assertEquals(ws, port(speech, "ws"), "speech containerPort ws vs --port");
        assertEquals(health, port(speech, "health"), "speech containerPort health vs --http-port");
        assertProbe(speech, "readinessProbe", "/readyz", health, "speech");
        assertProbe(speech, "livenessProbe", "/healthz", health, "speech");
        JsonNode speechService = k8s.get("Service/livedesk-speech");
        assertServiceTargets(speechService, speech, ws);
        URI speechUrl = URI.create(cfg.speech().engine().remote().nodes().get(0).replace("{language}", "en"));
        assertEquals(speechService.at("/metadata/name").asText(), speechUrl.getHost(), "speech.remote.url host");
        assertEquals(speechService.at("/spec/ports/0/port").asInt(), speechUrl.getPort(), "speech.remote.url port vs Service");
        assertEquals(option(speechCli, "--models").toString(), speech.at("/volumeMounts/0/mountPath").asText());

        // the same ports as compose
        Map<String, JsonNode> compose = composeServices(composeEnv(Map.of()));
        CommandLine composeBridge = bridgeCli(strings(compose.get("bridge-a").get("command")));
        int composeRest = option(composeBridge, "--http-port");
        int composeMedia = option(composeBridge, "--media-port");
        int composeWs = option(speechCli(strings(compose.get("speech").get("command"))), "--port");
        assertEquals(composeRest, rest, "bridge REST port: compose vs Kubernetes");
        assertEquals(composeMedia, media, "bridge media port: compose vs Kubernetes");
        assertEquals(composeWs, ws, "speech port: compose vs Kubernetes");
        assertEquals(Set.of(redisPort), exposed(compose.get("redis")), "Redis port: compose vs Kubernetes");
    }

    @Test
    void kubernetesJitsiOverlayRunsVideobridgesOnJvbConfsPortsAndPointsSignalingAtThem() throws IOException {
        Path jitsi = KUBERNETES.resolve("jitsi");
        Map<String, JsonNode> k8s = manifests(jitsi);
        Config jvbConf = hocon(DEPLOY.resolve("jitsi-videobridge/jvb.conf"));
        int rest = jvbConf.getInt("videobridge.http-servers.private.port");
        int udp = jvbConf.getInt("videobridge.ice.udp.port");

        JsonNode set = k8s.get("StatefulSet/jvb");
        JsonNode jvb = container(set);
        Map<String, String> env = environment(jvb);
        assertTrue(jvb.get("image").asText().startsWith("jitsi/jvb:"));
        assertEquals("true", env.get("COLIBRI_REST_ENABLED"));
        assertEquals("1", env.get("ENABLE_OCTO"));
        assertEquals(udp, Integer.parseInt(env.get("JVB_PORT")), "JVB_PORT vs jvb.conf's ice.udp.port");
        assertEquals(udp, port(jvb, "media"), "jvb containerPort media vs jvb.conf");
        assertEquals("UDP", portEntry(jvb, "media").get("protocol").asText());
        assertEquals(rest, port(jvb, "http"), "jvb containerPort http vs jvb.conf's private REST port");
        assertProbe(jvb, "readinessProbe", JVB_HEALTH, rest, null);
        assertProbe(jvb, "livenessProbe", JVB_HEALTH, rest, null);
        JsonNode service = k8s.get("Service/jvb");
        assertServiceTargets(service, jvb, rest);
        assertEquals(read(DEPLOY.resolve("jitsi-videobridge/custom-jvb.conf")),
                k8s.get("ConfigMap/jvb-config").at("/data/custom-jvb.conf").asText(),
                "the ConfigMap carries deploy/jitsi-videobridge/custom-jvb.conf unchanged");

        // the overlay's patch points signaling at the Videobridges' REST port
        JsonNode kustomization = yaml(read(jitsi.resolve("kustomization.yaml")));
        Map<String, String> patched = null;
        for (JsonNode p : kustomization.get("patches")) {
            JsonNode patch = yaml(p.get("patch").asText());
            if (patch.at("/kind").asText().equals("Deployment") && patch.at("/metadata/name").asText().equals("livedesk")) {
                patched = environment(container(patch));
            }
        }
        assertNotNull(patched, "a patch of Deployment/livedesk");
        Map<String, JsonNode> base = manifests(KUBERNETES.resolve("common"));
        Map<String, String> signalingEnv = new HashMap<>(environment(container(base.get("Deployment/livedesk"))));
        signalingEnv.putAll(patched);
        LiveDeskConfig cfg = loadWithEnv(configMapFile(base.get("ConfigMap/livedesk-config"), "livedesk.conf"),
                signalingEnv);
        List<URI> remote = cfg.bridge().remote();
        assertEquals(set.at("/spec/replicas").asInt(), remote.size());
        for (int i = 0; i < remote.size(); i++) {
            assertEquals(URI.create("http://jvb-" + i + "." + service.at("/metadata/name").asText() + ":"
                    + service.at("/spec/ports/0/port").asInt()), remote.get(i));
            assertEquals(rest, remote.get(i).getPort());
        }
    }

    @Test
    void everyManifestIsPartOfAKustomization() throws IOException {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                JsonNode kustomization = yaml(read(file.resolveSibling("kustomization.yaml")));
                assertTrue(strings(kustomization.get("resources")).contains(file.getFileName().toString()),
                        file + " is listed in its folder's kustomization.yaml");
            }
        }
    }

    // ---------------------------------------------------------------- signaling's configuration

    /**
     * What {@link LiveDeskConfig#load(Path)} does, with {@code env} standing in for the process environment: the
     * file's and reference.conf's {@code ${?LIVEDESK_…}} substitutions resolve against it.
     */
    private static LiveDeskConfig loadWithEnv(Path file, Map<String, String> env) {
        Config fileConfig = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        Config all = ConfigFactory.defaultOverrides().withFallback(fileConfig)
                .withFallback(ConfigFactory.defaultReferenceUnresolved())
                .withFallback(ConfigFactory.parseMap(env));
        return LiveDeskConfig.from(all.resolve());
    }

    /** Every setting the file names exists in reference.conf (the loader itself ignores unknown keys). */
    private static void assertUnknownKeys(Path file) {
        Config reference = ConfigFactory.defaultReferenceUnresolved();
        List<String> unknown = new ArrayList<>();
        collectUnknown(ConfigFactory.parseFile(file.toFile()).root(), "", reference, unknown);
        assertEquals(List.of(), unknown, file + ": keys that reference.conf does not have");
    }

    private static void collectUnknown(ConfigObject object, String prefix, Config reference, List<String> unknown) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix + ConfigUtil.joinPath(e.getKey());
            if (!reference.hasPathOrNull(path)) {
                // A free-form map in reference.conf (speech.models, speech.remote.urls) takes any key.
                boolean freeForm = !prefix.isEmpty() && reference.hasPath(prefix.substring(0, prefix.length() - 1))
                        && reference.getObject(prefix.substring(0, prefix.length() - 1)).isEmpty();
                if (!freeForm) {
                    unknown.add(path);
                }
            } else if (e.getValue() instanceof ConfigObject child) {
                collectUnknown(child, path + ".", reference, unknown);
            }
        }
    }

    // ---------------------------------------------------------------- bridge and speech command lines

    /** The bridge node's own command line: an unknown option or a bad value fails here as at start-up. */
    private static CommandLine bridgeCli(List<String> args) {
        CommandLine cli = new CommandLine(new BridgeMain());
        cli.parseArgs(args.toArray(String[]::new));
        return cli;
    }

    private static CommandLine speechCli(List<String> args) {
        CommandLine cli = new CommandLine(new SpeechMain());
        cli.parseArgs(args.toArray(String[]::new));
        return cli;
    }

    private static <T> T option(CommandLine cli, String name) {
        return cli.getCommandSpec().findOption(name).getValue();
    }

    // ---------------------------------------------------------------- compose

    private record Published(int host, int container, String protocol) {
    }

    /** deploy/.env, a public address for the media ports and a JWT secret, then {@code overrides}: like a shell. */
    private static Map<String, String> composeEnv(Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : read(DEPLOY.resolve(".env")).split("\n")) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        env.put("LIVEDESK_JWT_SECRET", "0123456789abcdef0123456789abcdef");
        env.put("LIVEDESK_MEDIA_PUBLIC_IP", "192.0.2.10");
        env.putAll(overrides);
        return env;
    }

    /**
     * The services compose runs with the profiles of COMPOSE_PROFILES: the file interpolated with {@code env}, then
     * read with its anchors and merge keys ({@code <<}) resolved, as compose does.
     */
    private static Map<String, JsonNode> composeServices(Map<String, String> env) {
        JsonNode file = yaml(interpolate(read(DEPLOY.resolve("docker-compose.yml")), env));
        Set<String> profiles = Set.of(env.getOrDefault("COMPOSE_PROFILES", "").split(","));
        Map<String, JsonNode> services = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = file.get("services").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode own = e.getValue().get("profiles");
            if (own == null || strings(own).stream().anyMatch(profiles::contains)) {
                services.put(e.getKey(), e.getValue());
            }
        }
        return services;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::([-?])([^}]*))?}");

    /** Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}. */
    private static String interpolate(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                if ("?".equals(m.group(2))) {
                    fail("compose needs " + m.group(1) + ": " + m.group(3));
                }
                value = m.group(2) == null ? "" : m.group(3);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Set<Integer> exposed(JsonNode service) {
        Set<Integer> ports = new TreeSet<>();
        strings(service.get("expose")).forEach(p -> ports.add(Integer.parseInt(p)));
        return ports;
    }

    private static List<Published> published(JsonNode service) {
        List<Published> out = new ArrayList<>();
        for (String spec : strings(service.get("ports"))) {
            Matcher m = Pattern.compile("(\\d+):(\\d+)(?:/(\\w+))?").matcher(spec);
            assertTrue(m.matches(), spec);
            out.add(new Published(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? "tcp" : m.group(3)));
        }
        return out;
    }

    /** A compose service's or a Kubernetes container's environment; valueFrom entries (Secrets, fields) are left out. */
    private static Map<String, String> environment(JsonNode owner) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = owner.get(owner.has("environment") ? "environment" : "env");
        if (node == null) {
            return env;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        } else {
            node.forEach(e -> {
                if (e.has("value")) {
                    env.put(e.get("name").asText(), e.get("value").asText());
                }
            });
        }
        return env;
    }

    /** The ports a stage of deploy/Dockerfile declares with EXPOSE. */
    private static Set<Integer> dockerfileExposes(String target) {
        String dockerfile = read(DEPLOY.resolve("Dockerfile"));
        Matcher stage = Pattern.compile("(?ms)^FROM \\S+ AS " + target + "$(.*?)(?=^FROM |\\z)").matcher(dockerfile);
        assertTrue(stage.find(), "Dockerfile has a target " + target);
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.*)$").matcher(stage.group(1));
        assertTrue(expose.find(), "target " + target + " has EXPOSE");
        Set<Integer> ports = new TreeSet<>();
        for (String p : expose.group(1).trim().split("\\s+")) {
            ports.add(Integer.parseInt(p.replace("/udp", "")));
        }
        return ports;
    }

    // ---------------------------------------------------------------- Kubernetes

    /** The objects of a folder's YAML files by kind/name (kustomization.yaml left out). */
    private static Map<String, JsonNode> manifests(Path folder) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                for (Object loaded : new Yaml().loadAll(read(file))) {
                    JsonNode doc = JSON.valueToTree(loaded);
                    out.put(doc.get("kind").asText() + "/" + doc.at("/metadata/name").asText(), doc);
                }
            }
        }
        return out;
    }

    private static JsonNode container(JsonNode workload) {
        JsonNode containers = workload.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    private static JsonNode portEntry(JsonNode container, String name) {
        for (JsonNode p : container.get("ports")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError(container.get("name").asText() + " has no port named " + name);
    }

    private static int port(JsonNode container, String name) {
        return portEntry(container, name).get("containerPort").asInt();
    }

    /** A port as a Service or probe names it: a number, or a container port's name. */
    private static int resolve(JsonNode container, JsonNode port) {
        return port.isInt() ? port.asInt() : port(container, port.asText());
    }

    /**
     * The probe asks {@code path} on {@code port}; for our processes the path must also be served by the module's
     * own code ({@code module}/src/main/java holds the route), so a renamed endpoint fails here.
     */
    private static void assertProbe(JsonNode container, String probe, String path, int port, String module) {
        JsonNode get = container.at("/" + probe + "/httpGet");
        assertFalse(get.isMissingNode(), container.get("name").asText() + " " + probe + " is an HTTP GET");
        assertEquals(path, get.get("path").asText(), container.get("name").asText() + " " + probe);
        assertEquals(port, resolve(container, get.get("port")), container.get("name").asText() + " " + probe + " port");
        if (module != null) {
            assertTrue(sourceMentions(REPO.resolve(module).resolve("src/main/java"), '"' + path + '"'),
                    module + " serves " + path);
        }
    }

    private static void assertServiceTargets(JsonNode service, JsonNode container, int port) {
        JsonNode ports = service.at("/spec/ports");
        assertEquals(1, ports.size(), service.at("/metadata/name").asText());
        JsonNode target = ports.get(0).has("targetPort") ? ports.get(0).get("targetPort") : ports.get(0).get("port");
        assertEquals(port, resolve(container, target), "Service " + service.at("/metadata/name").asText() + " targets");
        JsonNode selector = service.at("/spec/selector");
        assertFalse(selector.isMissingNode());
    }

    /** A file of a ConfigMap, written out for the loader. */
    private static Path configMapFile(JsonNode configMap, String key) throws IOException {
        Path file = Files.createTempFile("deploy-configmap-", "-" + key);
        file.toFile().deleteOnExit();
        return Files.writeString(file, configMap.at("/data/" + key).asText());
    }

    // ---------------------------------------------------------------- files

    /** One YAML document as a tree (SnakeYAML: anchors, aliases and merge keys resolved). */
    private static JsonNode yaml(String text) {
        return JSON.valueToTree(new Yaml().load(text));
    }

    private static Config hocon(Path file) {
        return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    }

    private static boolean sourceMentions(Path root, String literal) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> read(f).contains(literal));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static String argAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " in " + args);
        return args.get(i + 1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository: this module's parent folder (Maven runs tests in the module's folder, and sets basedir). */
    private static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = module.getParent();
        assertTrue(Files.isDirectory(root.resolve("deploy")), "no deploy/ next to " + module);
        return root;
    }
}
