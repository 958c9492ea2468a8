package io.tributary.metadata.controller;

import io.tributary.metadata.record.MetadataRecord;
import io.tributary.protocol.ErrorCode;

import java.util.List;

/**
 * What one controller decision comes to: the records to write (applied all or nothing, as one batch) and the answer
 * for the requester once they are committed, or a refusal with Kafka's error code and no records.
 *
 * @param response null when refused
 */
public record ControllerResult<T>(ErrorCode error, List<MetadataRecord> records, T response) {
    public ControllerResult {
        records = List.copyOf(records);
    }

    public static <T> ControllerResult<T> of(List<MetadataRecord> records, T response) {
        return new ControllerResult<>(ErrorCode.NONE, records, response);
    }

    public static <T> ControllerResult<T> refused(ErrorCode error) {
        return new ControllerResult<>(error, List.of(), null);
    }

    public boolean isRefused() {
        return error != ErrorCode.NONE;
    }
}
