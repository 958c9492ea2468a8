package io.tributary.protocol;

/**
 * A message and version that do not fit together. Decoding: a well-formed header names a version of an API
 * outside the range we serve (the broker answers an ApiVersions request with UNSUPPORTED_VERSION at v0 and
 * closes the connection otherwise). Encoding: a field holds a non-default value the version cannot carry
 * and the field is not ignorable, as Kafka's generated messages refuse it; ignorable fields are dropped
 * silently instead.
 */
public class UnsupportedVersionException extends RuntimeException {
    public UnsupportedVersionException(String message) {
        super(message);
    }
}
