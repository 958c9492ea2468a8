/**
 * Broker metrics and the HTTP endpoint that serves them.
 *
 * <pre>
 * ConnectionHandler ── RequestObserver ──> RequestMeters      per-API latency timer (count = rate), connections
 * MeteredProduce (wraps ProduceHandler) ──> TopicTraffic       bytes/records in per topic, meters cached per topic
 * MeteredFetch   (wraps FetchHandler)   ──> TopicTraffic       bytes/offsets out per topic
 * BrokerMetrics.scrape ── refresh ──> partition offsets and sizes, group lag, parked fetches, flushes, recovery
 * MetricsEndpoint (JDK HTTP server, own thread) ── /metrics (Prometheus text), /health, /health/live, /health/ready
 * </pre>
 *
 * Cost on the request path: one timer record per request, and per produced or fetched partition one
 * lookup of its topic's cached counters and two increments; no per-record work. Everything that walks the
 * logs or asks the group coordinator runs when /metrics is scraped, on the endpoint's thread, and takes no
 * lock the request path takes.
 */
package io.tributary.server.metrics;
