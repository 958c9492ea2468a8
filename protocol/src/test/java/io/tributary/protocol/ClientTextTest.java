package io.tributary.protocol;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTextTest {

    @Test
    void controlCharactersAndNewlinesAreShownAsEscapes() {
        assertThat(ClientText.escape("app\nWARN forged line\r\u0000\u001b[31m\u007f\u0085\u2028\\"))
            .isEqualTo("app\\nWARN forged line\\r\\u0000\\u001b[31m\\u007f\\u0085\\u2028\\\\");
        assertThat(ClientText.escape("plain-client_1")).isEqualTo("plain-client_1");
        assertThat(ClientText.escape("tab\there")).isEqualTo("tab\\there");
        assertThat(ClientText.escape(null)).isEqualTo("null");
        assertThat(ClientText.escape("\ud83d\ude00 ok")).isEqualTo("\ud83d\ude00 ok");
        assertThat(ClientText.escape("lone \ud83d")).isEqualTo("lone \\ud83d");
    }

    @Test
    void longTextIsCut() {
        assertThat(ClientText.escape("x".repeat(300))).isEqualTo("x".repeat(256) + "...(44 more characters)");
    }

    @Property(tries = 300)
    void theResultIsOneLineOfPrintableCharacters(@ForAll String text) {
        String escaped = ClientText.escape(text);
        assertThat(escaped.chars()).noneMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029);
    }
}
