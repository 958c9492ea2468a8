package io.tributary.console.api;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.admin.ClusterDescription;
import io.tributary.clients.admin.ListedOffset;
import io.tributary.clients.admin.OffsetSpec;
import io.tributary.clients.admin.PartitionDescription;
import io.tributary.clients.admin.TopicDescription;
import io.tributary.clients.admin.TopicListing;
import io.tributary.protocol.Node;
import io.tributary.console.BrokerStats;
import io.tributary.console.ConsoleSettings;
import io.tributary.console.auth.Sessions;
import io.tributary.console.http.ApiProblem;
import io.tributary.console.http.ApiRequest;
import io.tributary.console.http.EventSink;
import io.tributary.console.http.HttpAnswer;
import io.tributary.console.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JSON API under {@code /api/}: routes each request by method and path to the page it serves, refuses
 * writes in read-only mode (403 READ_ONLY) before anything is sent to the cluster, and answers everything else
 * that is wrong with a 4xx {@link ApiProblem}.
 *
 * <pre>
 * GET    /api/info                                   read-only flag, bootstrap, sampling interval, login, principal
 * POST   /api/login                                  {user, password}: a session cookie (when a login is set up)
 * POST   /api/logout                                 ends the session
 * GET    /api/overview                               brokers, controller, topic/partition counts, total size, groups
 * GET    /api/traffic                                messages and bytes in/out per second, last 15 minutes
 * GET    /api/topics                                 every topic: partitions, replication, size, records-in rate, retention
 * POST   /api/topics                                 create {name, partitions, replicationFactor?, configs?}
 * GET    /api/topics/{t}                             partitions: start/end offsets, size, leader, replicas, ISR
 * DELETE /api/topics/{t}?confirm={t}                 delete, with the name typed again
 * POST   /api/topics/{t}/partitions                  add partitions {count}
 * GET    /api/topics/{t}/rates                       records/bytes in/out per second, last 15 minutes
 * GET    /api/topics/{t}/configs                     every config entry with its source
 * POST   /api/topics/{t}/configs                     alter {set: {k: v}, delete: [k]}
 * GET    /api/topics/{t}/messages                    browse (see {@link Messages})
 * POST   /api/topics/{t}/messages                    produce {key?, value?, headers?, partition?}
 * GET    /api/topics/{t}/partitions/{p}/records/{o}  one record, whole
 * GET    /api/topics/{t}/tail                        live tail, server-sent events
 * GET    /api/groups                                 every group: state, members, total lag
 * GET    /api/groups/{g}                             members, assignments, per-partition committed/end/lag, lag history
 * POST   /api/groups/{g}/reset                       preview or execute an offset reset
 * GET    /api/routing                                ordered topics and fences, bindings, dead-letter topics
 * GET    /api/routing/match?key=K                    the topics a RoutingProducer send with key K reaches
 * POST   /api/topics/{dlt}/redrive                   re-drive dead letters {records: [{partition, offset}]}
 * </pre>
 *
 * <p>With a {@link io.tributary.console.auth.Login}, every call but info, login and logout needs the session cookie
 * (else 401 UNAUTHENTICATED, which the page answers with its login form); every write is logged with the
 * principal that made it. When the login can say how to reach the brokers as that user ({@link
 * io.tributary.console.auth.Login#clientSettings}: the broker's own SASL users), the session gets its own clients,
 * authenticated as the user, so the brokers' ACLs decide what the user sees and does and what they refuse
 * (…_AUTHORIZATION_FAILED) is shown as it is; those clients close at logout or when the session expires. Otherwise
 * (a user list of the console's own) every session shares the console's clients.
 */
public final class ConsoleApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleApi.class);
    /** How long after the last request the sampler keeps sampling (the charts' window). */
    static final long VIEW_WINDOW_MS = 15 * 60_000;

    /** The clients a request uses and the views built on them: the console's own, or one logged-in user's. */
    private record View(ClusterClients clients, Topics topics, Messages messages, Groups groups, Routing routing) {
        void close() {
            messages.close();
            clients.close();
        }
    }

    private final ConsoleSettings settings;
    private final ClusterClients clients;
    private final View shared;
    /** Session token -> the view of a user whose requests go to the brokers as that user. */
    private final Map<String, View> userViews = new java.util.concurrent.ConcurrentHashMap<>();
    private final TrafficHistory traffic;
    private final LagHistory lagHistory = new LagHistory();
    private final TopicRates topicRates;
    private final Routing routing;
    private final Sessions sessions;
    private final Topics topics;
    private final Messages messages;
    private final Groups groups;
    private final long sampleIntervalMs;
    private ScheduledExecutorService sampler;
    private volatile long lastRequestMs;

    public ConsoleApi(ConsoleSettings settings) {
        this.settings = settings;
        this.clients = new ClusterClients(settings.bootstrapServers(), settings.clientOverrides());
        this.sampleIntervalMs = settings.sampleIntervalMs();
        this.traffic = new TrafficHistory((int) Math.max(2, VIEW_WINDOW_MS / sampleIntervalMs));
        this.topicRates = new TopicRates((int) Math.max(2, VIEW_WINDOW_MS / sampleIntervalMs));
        this.topics = new Topics(clients, settings.brokerStats(), topicRates);
        this.routing = new Routing(clients, topics, settings.bindingsFiles());
        this.sessions = settings.login() == null ? null : new Sessions(settings.login());
        this.messages = new Messages(clients, topics);
        this.groups = new Groups(clients, topics, lagHistory);
        this.shared = new View(clients, topics, messages, groups, routing);
        if (settings.brokerStats() != null) {
            startSampler(); // reading the broker's counters costs nothing; the chart then has its 15 minutes at once
        }
    }

    private synchronized void startSampler() {
        if (sampler != null) {
            return;
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, sampleIntervalMs, TimeUnit.MILLISECONDS);
    }

    /** One tick: broker counters always (when in a broker), the cluster only while someone looks. */
    private void sample() {
        long now = System.currentTimeMillis();
        boolean viewed = now - lastRequestMs < VIEW_WINDOW_MS;
        try {
            BrokerStats stats = settings.brokerStats();
            if (stats != null) {
                traffic.record(now, stats.traffic());
            }
            if (!viewed || settings.unavailable() != null) {
                topicRates.clear();
                return;
            }
            Map<String, Long> ends = topics.endOffsetSums();
            Map<String, long[]> perTopic = new HashMap<>();
            ends.forEach((topic, end) -> {
                BrokerStats.TrafficTotals t = stats == null ? null : stats.topicTraffic(topic).orElse(null);
                perTopic.put(topic, t == null ? new long[] {end, -1, -1, -1} : new long[] {end, t.bytesIn(), t.recordsOut(), t.bytesOut()});
            });
            topicRates.record(now, perTopic);
            if (stats == null) {
                long sum = ends.values().stream().mapToLong(Long::longValue).sum();
                traffic.record(now, new BrokerStats.TrafficTotals(sum, -1, -1, -1));
            }
            for (String group : lagHistory.watched(now)) {
                groups.sampleLag(group, now);
            }
        } catch (RuntimeException e) {
            log.debug("Console sampling failed", e); // the next tick tries again; the charts show a gap
        }
    }

    public HttpAnswer answer(ApiRequest request) {
        long now = System.currentTimeMillis();
        List<String> s = request.segments(); // [api, ...]
        String m = request.method().equals("HEAD") ? "GET" : request.method();
        String resource = s.size() > 1 ? s.get(1) : "";
        switch (resource) {
            case "info" -> {
                requireMethod(request, m, "GET", s.size() == 2);
                return Json.ok(info(session(request, now).orElse(null)));
            }
            case "login" -> {
                requireMethod(request, m, "POST", s.size() == 2);
                return logIn(request, now);
            }
            case "logout" -> {
                requireMethod(request, m, "POST", s.size() == 2);
                if (sessions != null) {
                    String token = request.cookie(Sessions.COOKIE);
                    sessions.logOut(token);
                    View ended = token == null ? null : userViews.remove(token);
                    if (ended != null) {
                        ended.close();
                    }
                }
                return Json.ok(Map.of("loggedOut", true)).withHeader("Set-Cookie", cookie("", 0));
            }
            default -> {
            }
        }
        Sessions.Session session = requireSession(request, now);
        View v = view(session, now);
        if (settings.unavailable() != null && v == shared) {
            throw new ApiProblem(503, "CONSOLE_UNAVAILABLE", settings.unavailable());
        }
        lastRequestMs = now;
        if (sampler == null) {
            startSampler();
        }
        if (settings.readOnly() && !request.isRead()) {
            throw new ApiProblem(403, "READ_ONLY", "The console is read-only: " + request.method() + " " + request.path()
                + " is refused (started with console.read.only=true / --read-only)");
        }
        if (!request.isRead()) {
            log.info("Console: {} {} by {}", request.method(), request.path(), session == null ? "anyone (no login)" : session.principal());
        }
        switch (resource) {
            case "overview" -> {
                requireMethod(request, m, "GET", s.size() == 2);
                return Json.ok(overview(v));
            }
            case "traffic" -> {
                requireMethod(request, m, "GET", s.size() == 2);
                return Json.ok(Map.of("intervalMs", sampleIntervalMs, "samples", traffic.samples()));
            }
            case "topics" -> {
                return topicRoute(v, request, m, s);
            }
            case "groups" -> {
                return groupRoute(v, request, m, s);
            }
            case "routing" -> {
                if (s.size() == 3 && s.get(2).equals("match")) {
                    requireMethod(request, m, "GET", true);
                    return Json.ok(v.routing().match(request.param("key")));
                }
                requireMethod(request, m, "GET", s.size() == 2);
                return Json.ok(v.routing().overview());
            }
            default -> throw ApiProblem.notFound("No API at " + request.path());
        }
    }

    private HttpAnswer topicRoute(View v, ApiRequest request, String m, List<String> s) {
        if (s.size() == 2) {
            return switch (m) {
                case "GET" -> Json.ok(v.topics().list());
                case "POST" -> Json.answer(201, v.topics().create(request.jsonObject()));
                default -> throw notAllowed(request, "GET, POST");
            };
        }
        String topic = s.get(2);
        if (s.size() == 3) {
            return switch (m) {
                case "GET" -> Json.ok(v.topics().describe(topic));
                case "DELETE" -> Json.ok(v.topics().delete(topic, request.param("confirm")));
                default -> throw notAllowed(request, "GET, DELETE");
            };
        }
        String sub = s.get(3);
        if (s.size() == 4) {
            switch (sub) {
                case "partitions" -> {
                    requireMethod(request, m, "POST", true);
                    return Json.ok(v.topics().addPartitions(topic, request.jsonObject()));
                }
                case "rates" -> {
                    requireMethod(request, m, "GET", true);
                    v.topics().description(topic); // 404 for an unknown topic
                    return Json.ok(Map.of("intervalMs", sampleIntervalMs, "samples", topicRates.samples(topic),
                        "inBroker", settings.brokerStats() != null));
                }
                case "redrive" -> {
                    requireMethod(request, m, "POST", true);
                    return Json.ok(v.routing().redrive(topic, request.jsonObject()));
                }
                case "configs" -> {
                    return switch (m) {
                        case "GET" -> Json.ok(v.topics().configs(topic));
                        case "POST" -> Json.ok(v.topics().alterConfigs(topic, request.jsonObject()));
                        default -> throw notAllowed(request, "GET, POST");
                    };
                }
                case "messages" -> {
                    return switch (m) {
                        case "GET" -> Json.ok(v.messages().browse(topic, request));
                        case "POST" -> Json.answer(201, v.messages().produce(topic, request.jsonObject()));
                        default -> throw notAllowed(request, "GET, POST");
                    };
                }
                default -> {
                }
            }
        }
        if (s.size() == 7 && sub.equals("partitions") && s.get(5).equals("records")) {
            requireMethod(request, m, "GET", true);
            int partition = (int) ApiRequest.parseLong("partition", s.get(4), 0, Integer.MAX_VALUE);
            long offset = ApiRequest.parseLong("offset", s.get(6), 0, Long.MAX_VALUE);
            return Json.ok(v.messages().record(topic, partition, offset, request));
        }
        throw ApiProblem.notFound("No API at " + request.path());
    }

    private HttpAnswer groupRoute(View v, ApiRequest request, String m, List<String> s) {
        if (s.size() == 2) {
            requireMethod(request, m, "GET", true);
            return Json.ok(v.groups().list());
        }
        String group = s.get(2);
        if (s.size() == 3) {
            requireMethod(request, m, "GET", true);
            return Json.ok(v.groups().describe(group));
        }
        if (s.size() == 4 && s.get(3).equals("reset")) {
            requireMethod(request, m, "POST", true);
            return Json.ok(v.groups().reset(group, request.jsonObject()));
        }
        throw ApiProblem.notFound("No API at " + request.path());
    }

    public boolean isStream(ApiRequest request) {
        List<String> s = request.segments();
        return request.method().equals("GET") && s.size() == 4 && s.get(0).equals("api") && s.get(1).equals("topics")
            && s.get(3).equals("tail");
    }

    public void stream(ApiRequest request, EventSink sink) {
        long now = System.currentTimeMillis();
        View v = view(requireSession(request, now), now);
        if (settings.unavailable() != null && v == shared) {
            throw new ApiProblem(503, "CONSOLE_UNAVAILABLE", settings.unavailable());
        }
        lastRequestMs = now;
        v.messages().tail(request.segments().get(2), request, sink);
    }

    private static void requireMethod(ApiRequest request, String method, String allowed, boolean pathMatches) {
        if (!pathMatches) {
            throw ApiProblem.notFound("No API at " + request.path());
        }
        if (!method.equals(allowed)) {
            throw notAllowed(request, allowed);
        }
    }

    private static ApiProblem notAllowed(ApiRequest request, String allowed) {
        return new ApiProblem(405, "METHOD_NOT_ALLOWED", request.method() + " is not allowed on " + request.path()
            + "; use " + allowed);
    }

    private Map<String, Object> info(Sessions.Session session) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("readOnly", settings.readOnly());
        info.put("loginRequired", sessions != null);
        info.put("loggedIn", sessions == null || session != null);
        info.put("principal", session == null ? null : session.principal());
        info.put("loginSource", sessions == null ? null : sessions.login().source());
        View own = session == null ? null : userViews.get(session.token());
        if (sessions == null || session != null) { // where the cluster is, only to someone allowed in
            info.put("unavailable", own != null ? null : settings.unavailable());
            info.put("bootstrapServers", own != null && settings.bootstrapServers().isEmpty()
                ? own.clients().bootstrapServers() : settings.bootstrapServers());
        }
        info.put("inBroker", settings.brokerStats() != null);
        info.put("sampleIntervalMs", sampleIntervalMs);
        return info;
    }

    /**
     * The view a request of {@code session} uses: its user's own when the login gave client settings, else the
     * console's. Closes the views of sessions that ended (expired) since the last request.
     */
    private View view(Sessions.Session session, long now) {
        if (!userViews.isEmpty()) {
            userViews.keySet().removeIf(token -> {
                if (session != null && token.equals(session.token()) || sessions.isLive(token, now)) {
                    return false;
                }
                View ended = userViews.get(token);
                if (ended != null) {
                    ended.close();
                }
                return true;
            });
        }
        View own = session == null ? null : userViews.get(session.token());
        return own != null ? own : shared;
    }

    private View userView(Map<String, Object> clientSettings) {
        Map<String, Object> overrides = new HashMap<>(settings.clientOverrides());
        overrides.putAll(clientSettings);
        ClusterClients c = new ClusterClients(settings.bootstrapServers(), overrides);
        Topics t = new Topics(c, settings.brokerStats(), topicRates);
        return new View(c, t, new Messages(c, t), new Groups(c, t, lagHistory), new Routing(c, t, settings.bindingsFiles()));
    }

    private java.util.Optional<Sessions.Session> session(ApiRequest request, long now) {
        return sessions == null ? java.util.Optional.empty() : sessions.touch(request.cookie(Sessions.COOKIE), now);
    }

    /** The caller's session; null when no login is set up; 401 when one is and the caller has none. */
    private Sessions.Session requireSession(ApiRequest request, long now) {
        if (sessions == null) {
            return null;
        }
        return session(request, now).orElseThrow(() -> new ApiProblem(401, "UNAUTHENTICATED",
            "Log in first: this console needs a user name and password (" + sessions.login().source() + ")"));
    }

    private HttpAnswer logIn(ApiRequest request, long now) {
        if (sessions == null) {
            throw ApiProblem.badRequest("This console has no login: anyone who reaches it may use it");
        }
        var body = request.jsonObject();
        String user = Topics.requiredText(body, "user");
        var password = body.get("password");
        if (password == null || !password.isTextual()) {
            throw ApiProblem.badRequest("password is required as a string");
        }
        Sessions.Attempt attempt = sessions.logIn(user, password.asText(), now);
        if (attempt instanceof Sessions.Attempt.Throttled t) {
            log.warn("Console: login of '{}' refused: too many failed attempts", user);
            throw new ApiProblem(429, "TOO_MANY_ATTEMPTS", "Too many failed logins for '" + user + "'; try again in "
                + (t.retryAfterMs() + 999) / 1000 + " s");
        }
        if (!(attempt instanceof Sessions.Attempt.LoggedIn in)) {
            log.info("Console: failed login of '{}'", user);
            throw new ApiProblem(401, "SASL_AUTHENTICATION_FAILED", "Wrong user name or password for " + sessions.login().source());
        }
        Map<String, Object> asUser = sessions.login().clientSettings(user, password.asText());
        if (!asUser.isEmpty()) {
            userViews.put(in.session().token(), userView(asUser));
        }
        log.info("Console: {} logged in{}", in.session().principal(), asUser.isEmpty() ? "" : " (its requests go to the brokers as "
            + in.session().principal() + ")");
        return Json.ok(Map.of("principal", in.session().principal()))
            .withHeader("Set-Cookie", cookie(in.session().token(), -1));
    }

    private static String cookie(String token, long maxAgeSeconds) {
        return Sessions.COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (maxAgeSeconds >= 0 ? "; Max-Age=" + maxAgeSeconds : "");
    }

    private Map<String, Object> overview(View v) {
        ClusterClients clients = v.clients();
        ClusterDescription cluster = clients.await(clients.admin().describeCluster());
        List<TopicListing> listed = clients.await(clients.admin().listTopics(true));
        List<String> names = listed.stream().map(TopicListing::name).toList();
        Map<String, TopicDescription> described = names.isEmpty() ? Map.of()
            : clients.await(clients.admin().describeTopics(names).all());
        int partitions = 0;
        int underReplicated = 0;
        int offline = 0;
        long size = 0;
        boolean sizeKnown = settings.brokerStats() != null;
        for (TopicDescription d : described.values()) {
            for (PartitionDescription p : d.partitions()) {
                partitions++;
                if (p.isr().size() < p.replicas().size()) {
                    underReplicated++;
                }
                if (p.leader() == null || p.leader().id() < 0) {
                    offline++;
                }
                if (sizeKnown) {
                    size += settings.brokerStats().partitionSize(d.name(), p.partition()).orElse(0);
                }
            }
        }
        List<Map<String, Object>> brokers = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", n.id());
            b.put("host", n.host());
            b.put("port", n.port());
            b.put("rack", n.rack());
            b.put("controller", cluster.controller() != null && cluster.controller().id() == n.id());
            brokers.add(b);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("clusterId", cluster.clusterId());
        o.put("controller", cluster.controller() == null ? null : cluster.controller().id());
        o.put("brokers", brokers);
        o.put("topics", listed.stream().filter(t -> !t.internal()).count());
        o.put("internalTopics", listed.stream().filter(TopicListing::internal).count());
        o.put("partitions", partitions);
        o.put("underReplicatedPartitions", underReplicated);
        o.put("offlinePartitions", offline);
        o.put("totalSize", sizeKnown ? size : null);
        o.put("groups", clients.await(clients.admin().listGroups()).size());
        return o;
    }

    /** Used by Topics for end offsets; kept here so all offset listing shares one shape. */
    static Map<TopicPartition, Long> offsets(ClusterClients clients, List<TopicPartition> parts, OffsetSpec spec) {
        if (parts.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        parts.forEach(tp -> specs.put(tp, spec));
        Map<TopicPartition, ListedOffset> listed = clients.await(clients.admin().listOffsets(specs).all());
        Map<TopicPartition, Long> out = new HashMap<>();
        listed.forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (sampler != null) {
                sampler.shutdownNow();
            }
        }
        shared.close();
        userViews.values().forEach(View::close);
        userViews.clear();
    }
}
