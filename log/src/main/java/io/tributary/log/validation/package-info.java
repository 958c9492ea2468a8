/**
 * Append validation: what a partition log checks about a producer's batches before it writes any of them
 * ({@link io.tributary.log.validation.LogValidator}), as pure functions of the bytes, the topic's settings
 * ({@link io.tributary.log.validation.ValidationSettings}), the routing count in force and the broker's clock,
 * returning a {@link io.tributary.log.validation.Verdict}. The log turns a refusal into the exception its callers
 * map to a wire error.
 */
package io.tributary.log.validation;
