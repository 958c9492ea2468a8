package io.tributary.server.admin;

import io.tributary.config.ConfigType;

import java.util.List;

/**
 * One config as DescribeConfigs and CreateTopics report it: its effective value, where that value comes
 * from, and (for DescribeConfigs with include_synonyms) every place that sets it or would, highest
 * precedence first, ending with an embedded default. For a topic config the first synonym is the source
 * of the value.
 */
record DescribedConfig(String name, String value, ConfigSource source, boolean readOnly, ConfigType type,
                       String documentation, List<Synonym> synonyms) {

    /** One setting that supplies (or would supply) the value: a topic override or a broker key. */
    record Synonym(String name, String value, ConfigSource source) {
    }
}
