/**
 * Message schemas and the codec that walks them: {@link io.tributary.protocol.message.schema.StructBuilder}
 * declares fields with version ranges in Kafka's notation, {@link io.tributary.protocol.message.schema.StructSchema}
 * holds them with per-version plans, {@link io.tributary.protocol.message.schema.MessageSchema} binds a root
 * struct to an API's versions and flexibility, and {@link io.tributary.protocol.message.schema.Struct} holds
 * the values.
 *
 * <p>Allocation: decoding allocates what the result is made of (a struct and its two value arrays per
 * struct, a list per array, a String per string, a slice per bytes or records value) and nothing for fields
 * a version lacks (their defaults are copied from a template) or tagged struct fields not sent. Encoding
 * allocates nothing beyond the caller's buffer: it sizes in one pass and writes in a second, encoding
 * strings to UTF-8 directly into the buffer; a tagged field's value is sized twice (for the section's
 * total and for its own size prefix), which is cheap as tagged values are small.
 */
package io.tributary.protocol.message.schema;
