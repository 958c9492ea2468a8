package io.tributary.clients.admin;

import io.tributary.protocol.Node;
import io.tributary.protocol.ErrorCode;

import java.util.Map;

/**
 * A Metadata answer read for the admin: brokers by id, and per topic asked for either its description or the
 * error the broker gave for it. Admin operations ask afresh each time rather than reading a cache, so what
 * they report is what the cluster says now.
 *
 * @param controllerId -1 when the broker did not say
 */
record MetadataAnswer(String clusterId, int controllerId, Map<Integer, Node> brokers,
                      Map<String, TopicDescription> topics, Map<String, ErrorCode> topicErrors) {
}
