package io.tributary.ops.arguments;

import picocli.CommandLine;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points in time and durations on the command line, with messages that say what is expected. Times are
 * ISO-8601 with a zone ({@code 2026-01-31T12:00:00Z}, {@code 2026-01-31T13:00:00+01:00}); durations are
 * ISO-8601 ({@code PT1H}, {@code P1D}) or a number and a unit ({@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}).
 */
public final class TimeArguments {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private TimeArguments() {
    }

    public static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected an ISO-8601 time with a zone, such as 2026-01-31T12:00:00Z, got '" + value + "'");
            }
        }
    }

    public static Duration duration(String value) {
        Matcher m = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as PT1H, 90s, 15m, 1h or 2d, got '" + value + "'");
        }
    }

    /** Picocli conversion of {@link #instant}. */
    public static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return instant(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli conversion of {@link #duration}. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
