package io.tributary.server.config;

import io.tributary.config.ConfigKey;
import io.tributary.log.LogConfig;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed configuration reference and template are exactly what {@link ConfigDocs} generates from the
 * definitions in code, and they cover every key: a change to a key without regenerating fails here, with the
 * command that regenerates.
 */
class ConfigDocsTest {
    /** Surefire runs in the module directory; the files live at the repository root. */
    private static final Path ROOT = Path.of("..");

    @Test
    void committedMarkdownIsTheGeneratedOne() throws Exception {
        assertSameAsGenerated(ConfigDocs.MARKDOWN, ConfigDocs.markdown());
    }

    @Test
    void committedPropertiesTemplateIsTheGeneratedOne() throws Exception {
        assertSameAsGenerated(ConfigDocs.PROPERTIES, ConfigDocs.properties());
    }

    @Test
    void everyKeyIsDocumentedWithItsDefault() {
        String markdown = ConfigDocs.markdown();
        String properties = ConfigDocs.properties();
        for (ConfigKey<?> def : ServerConfig.DEFINITION.keys()) {
            assertThat(markdown).contains("| `" + def.name() + "` |");
            assertThat(properties).contains("\n#" + def.name() + "=");
            assertThat(def.documentation()).as("documentation of %s", def.name()).isNotBlank();
        }
        for (ConfigKey<?> key : LogConfig.TOPIC_KEYS.keys()) {
            String brokerSynonym = key.synonyms().isEmpty() ? null : key.synonyms().get(0).name();
            assertThat(markdown).contains("| `" + key.name() + "` | "
                + (brokerSynonym == null ? "none: per topic only |" : "`" + brokerSynonym + "`"));
        }
        assertThat(markdown).doesNotContain("| `" + ServerConfig.NUM_NETWORK_THREADS + "` | `");
    }

    @Test
    void theTemplateUncommentedIsAValidConfigurationEqualToTheDefaults() throws Exception {
        // Uncommenting every key with a shown default must give exactly the embedded defaults.
        StringBuilder uncommented = new StringBuilder();
        for (String line : ConfigDocs.properties().split("\n")) {
            if (line.startsWith("#") && line.contains("=") && !line.startsWith("# ") && !line.endsWith("=")) {
                uncommented.append(line.substring(1)).append('\n');
            }
        }
        Properties properties = new Properties();
        properties.load(new StringReader(uncommented.toString()));
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
        ServerConfig fromTemplate = ServerConfig.of(settings);
        ServerConfig defaults = ServerConfig.of(Map.of());
        assertThat(fromTemplate.values()).isEqualTo(defaults.values());
    }

    private static void assertSameAsGenerated(String relative, String generated) throws Exception {
        Path file = ROOT.resolve(relative);
        assertThat(Files.exists(file)).as("%s exists; generate it with: %s", relative, ConfigDocs.REGENERATE).isTrue();
        String committed = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(committed).as("%s differs from the definitions in code; regenerate it from the repository root with: %s",
            relative, ConfigDocs.REGENERATE).isEqualTo(generated);
    }
}
