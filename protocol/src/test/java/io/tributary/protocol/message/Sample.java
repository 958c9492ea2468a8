package io.tributary.protocol.message;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.List;

/** One random body of one message at one version, for jqwik properties. */
record Sample(MessageSchema schema, short version, Struct body) {

    /** Bodies of the request or response of {@code api} at any version it serves. */
    static Arbitrary<Sample> of(MessageSchema schema) {
        ApiKey api = schema.apiKey();
        return Arbitraries.shorts().between(api.minVersion(), api.maxVersion()).flatMap(v ->
            Arbitraries.randomValue(random -> new Sample(schema, v, new StructGenerator(random).generate(schema, v))));
    }

    /** Bodies of any message of any API we serve. */
    static Arbitrary<Sample> ofAnyApi() {
        return Arbitraries.of(ApiKey.values())
            .flatMap(api -> Arbitraries.of(List.of(ApiSchemas.request(api), ApiSchemas.response(api))))
            .flatMap(Sample::of);
    }

    @Override
    public String toString() {
        return schema.title() + " v" + version + " " + body;
    }
}
