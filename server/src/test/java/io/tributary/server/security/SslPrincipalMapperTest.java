package io.tributary.server.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SslPrincipalMapperTest {
    private static final String DN = "CN=Alice,OU=ServiceUsers,O=Example,C=US";

    @Test
    void defaultKeepsTheDistinguishedName() {
        assertThat(SslPrincipalMapper.parse("DEFAULT").map(DN)).isEqualTo(DN);
    }

    @Test
    void theFirstMatchingRuleApplies() {
        SslPrincipalMapper mapper = SslPrincipalMapper.parse(
            "RULE:^CN=(.*?),OU=Admins.*$/admin-$1/, RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L, DEFAULT");
        assertThat(mapper.map(DN)).isEqualTo("alice");
        assertThat(mapper.map("CN=Bob,OU=Admins,O=Example")).isEqualTo("admin-Bob");
        assertThat(mapper.map("CN=Carol,O=Elsewhere")).isEqualTo("CN=Carol,O=Elsewhere");
    }

    @Test
    void upperCaseAndEscapedSlashes() {
        assertThat(SslPrincipalMapper.parse("RULE:^CN=([^,]*).*$/$1\\/x/U").map(DN)).isEqualTo("ALICE/X");
    }

    @Test
    void aNameNoRuleMatchesIsRefused() {
        SslPrincipalMapper mapper = SslPrincipalMapper.parse("RULE:^CN=(.*?),OU=Admins.*$/$1/");
        assertThatThrownBy(() -> mapper.map(DN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DN);
    }

    @Test
    void malformedRulesAreRefused() {
        assertThat(SslPrincipalMapper.isValid("RULE:^CN=(.*$/$1/")).isFalse();
        assertThat(SslPrincipalMapper.isValid("RULE:^CN=.*$")).isFalse();
        assertThat(SslPrincipalMapper.isValid("NONSENSE")).isFalse();
        assertThat(SslPrincipalMapper.isValid("")).isFalse();
        assertThat(SslPrincipalMapper.isValid("DEFAULT")).isTrue();
    }
}
