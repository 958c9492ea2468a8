package io.tributary.clients.errors;

import io.tributary.protocol.ErrorCode;

/**
 * The broker does not support any version of an API that this client can speak (or the version a feature
 * needs). The message names the API and both version ranges.
 */
public class UnsupportedVersionException extends ApiException {
    public UnsupportedVersionException(String message) {
        super(ErrorCode.UNSUPPORTED_VERSION, message);
    }
}
