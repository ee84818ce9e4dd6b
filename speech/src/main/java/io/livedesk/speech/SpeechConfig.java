package io.livedesk.speech;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.livedesk.speech.client.RemoteSettings;
import io.livedesk.speech.engine.EngineSettings;

/**
 * Which speech engine a process uses, and its settings: what signaling maps its configuration onto
 * and hands to {@link SpeechServices#create}.
 *
 * @param engine    {@code LOCAL} (Vosk in this process), {@code REMOTE} (speech nodes over the
 *                  vosk-server protocol) or {@code OFF}
 * @param modelsDir folder that relative model folders are resolved against (local)
 * @param models    language -> model folder, e.g. {@code en -> vosk-model-small-en-us-0.15} (local);
 *                  empty: speech runs disabled and says so
 * @param local     worker pool, admission and shedding (local)
 * @param remote    where the speech nodes are (remote); null unless the engine is remote
 */
public record SpeechConfig(Engine engine, Path modelsDir, Map<String, String> models, EngineSettings local,
                           RemoteSettings remote) {

    /** Where recognition runs. */
    public enum Engine { LOCAL, REMOTE, OFF }

    public SpeechConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(modelsDir, "modelsDir");
        Objects.requireNonNull(local, "local");
        // Keep the configured order: it is the order languages are listed in and the default language.
        models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(models, "models")));
        if (engine == Engine.REMOTE && remote == null) {
            throw new IllegalArgumentException("speech engine 'remote' needs remote settings (a url)");
        }
    }

    public static SpeechConfig off() {
        return new SpeechConfig(Engine.OFF, Path.of("models"), Map.of(), EngineSettings.defaults(), null);
    }

    public static SpeechConfig local(Path modelsDir, Map<String, String> models, EngineSettings settings) {
        return new SpeechConfig(Engine.LOCAL, modelsDir, models, settings, null);
    }

    public static SpeechConfig remote(RemoteSettings settings) {
        return new SpeechConfig(Engine.REMOTE, Path.of("models"), Map.of(), EngineSettings.defaults(), settings);
    }

    /**
     * Reads a HOCON block such as signaling's {@code livedesk.speech}. Every key is optional; the
     * defaults are those of {@link EngineSettings#defaults()} and {@link RemoteSettings#of}:
     * <pre>
     * engine = local                  # local | remote | off
     * models-dir = "models"
     * models { en = "vosk-model-small-en-us-0.15", zh = "vosk-model-small-cn-0.22" }
     * workers = 0                     # 0: one per core
     * max-streams = 100
     * queue-limit = 3s
     * target-load = 0.8
     * close-timeout = 5s
     * remote {
     *   url = "ws://speech.internal:2700/{language}"
     *   urls { }                      # language -> URL, e.g. one vosk-server per model
     *   connect-timeout = 5s
     *   reply-timeout = 10s
     *   send-batch = 100ms
     *   threads = 4
     *   max-streams = 200
     *   queue-limit = 5s
     * }
     * </pre>
     *
     * @throws ConfigException.BadValue for a value of the right type that makes no sense
     */
    public static SpeechConfig fromHocon(Config c) {
        String engineName = string(c, "engine", "local").toUpperCase(Locale.ROOT);
        Engine engine;
        try {
            engine = Engine.valueOf(engineName);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.origin(), "engine", "expected local, remote or off, got '"
                    + engineName.toLowerCase(Locale.ROOT) + "'");
        }
        // HOCON objects keep no order: sorted, so the language list is the same on every start.
        Map<String, String> models = new java.util.TreeMap<>();
        if (c.hasPath("models")) {
            for (Map.Entry<String, ConfigValue> e : c.getObject("models").entrySet()) {
                models.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
            }
        }
        EngineSettings d = EngineSettings.defaults();
        int workers = c.hasPath("workers") ? c.getInt("workers") : 0;
        try {
            EngineSettings local = new EngineSettings(
                    workers > 0 ? workers : d.workers(),
                    c.hasPath("max-streams") ? c.getInt("max-streams") : d.maxStreams(),
                    duration(c, "queue-limit", d.queueLimit()),
                    c.hasPath("target-load") ? c.getDouble("target-load") : d.targetLoad(),
                    duration(c, "close-timeout", d.closeTimeout()));
            RemoteSettings remote = null;
            if (engine == Engine.REMOTE) {
                Config r = c.hasPath("remote") ? c.getConfig("remote") : com.typesafe.config.ConfigFactory.empty();
                Map<String, List<String>> urls = new LinkedHashMap<>();
                if (r.hasPath("urls")) {
                    for (Map.Entry<String, ConfigValue> e : r.getObject("urls").entrySet()) {
                        urls.put(e.getKey(), urlList(e.getValue()));
                    }
                }
                RemoteSettings rd = RemoteSettings.of("ws://localhost:2700/");
                remote = new RemoteSettings(r.hasPath("url") ? urlList(r.getValue("url")) : List.of(), urls,
                        duration(r, "connect-timeout", rd.connectTimeout()),
                        duration(r, "reply-timeout", rd.replyTimeout()),
                        duration(r, "send-batch", rd.sendBatch()),
                        r.hasPath("threads") ? r.getInt("threads") : rd.threads(),
                        r.hasPath("max-streams") ? r.getInt("max-streams") : rd.maxStreams(),
                        duration(r, "queue-limit", rd.queueLimit()),
                        duration(r, "health-interval", rd.healthInterval()));
            }
            return new SpeechConfig(engine, Path.of(string(c, "models-dir", "models")), models, local, remote);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.origin(), "speech", e.getMessage());
        }
    }

    /**
     * Node URLs: one string, a comma-separated string (what an environment variable can carry), or a list; in
     * order of preference, blanks left out.
     */
    private static List<String> urlList(ConfigValue value) {
        List<String> out = new ArrayList<>();
        if (value.valueType() == ConfigValueType.LIST) {
            for (Object o : (List<?>) value.unwrapped()) {
                out.add(String.valueOf(o).trim());
            }
        } else {
            for (String part : String.valueOf(value.unwrapped()).split(",")) {
                out.add(part.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static String string(Config c, String key, String fallback) {
        return c.hasPath(key) ? c.getString(key) : fallback;
    }

    private static Duration duration(Config c, String key, Duration fallback) {
        return c.hasPath(key) ? c.getDuration(key) : fallback;
    }
}
