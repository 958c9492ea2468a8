package io.tributary.protocol.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The growth history of an ordered topic ({@code routing.mode=ordered}): for each time partitions were added, the
 * partition counts before and after, and the end offset of every partition that existed before, taken at that
 * moment (the fence). Generation 0 is the partitions the topic was created with; generation g >= 1 is the
 * partitions {@code [before_g, after_g)} added by the g-th growth, and its fence says which records of the older
 * partitions were written before them: every record of partition p below {@code fence_g[p]} was routed with
 * {@code before_g} partitions or fewer, every record at or above it with {@code after_g} or more.
 *
 * <p>Invariants, checked when built and when parsed: each growth starts where the previous one ended
 * ({@code before_g == after_(g-1)}), adds at least one partition, and has exactly {@code before_g} fence offsets,
 * none negative. A partition's fence offsets never decrease from one generation to the next (the broker takes
 * them from the same growing logs).
 *
 * <p>Text form, the value of the read-only topic config {@link #CONFIG} and of the topic metadata file: the
 * generations oldest first, separated by {@code ';'}; each is {@code before->after:o0,o1,...} with the fence
 * offsets of partitions 0 to before-1 in order. Growing 6 -> 12 -> 18 gives
 * {@code 6->12:120,98,77,130,101,95;12->18:240,...} with 6 then 12 offsets. A topic that never grew has the empty
 * string. Immutable.
 */
public final class RoutingFences {
    /** The read-only topic config under which the broker publishes an ordered topic's fences. */
    public static final String CONFIG = "routing.fences";
    public static final RoutingFences NONE = new RoutingFences(List.of());

    private final List<Growth> growths;

    private RoutingFences(List<Growth> growths) {
        this.growths = List.copyOf(growths);
    }

    /** One growth: the partition counts around it and the fence of each partition that existed before it. */
    public static final class Growth {
        private final int partitionsBefore;
        private final int partitionsAfter;
        private final long[] fenceOffsets;

        private Growth(int partitionsBefore, int partitionsAfter, long[] fenceOffsets) {
            this.partitionsBefore = partitionsBefore;
            this.partitionsAfter = partitionsAfter;
            this.fenceOffsets = fenceOffsets;
        }

        public int partitionsBefore() {
            return partitionsBefore;
        }

        public int partitionsAfter() {
            return partitionsAfter;
        }

        /** The end offset partition {@code partition} (below {@link #partitionsBefore()}) had at this growth. */
        public long fenceOffset(int partition) {
            if (partition < 0 || partition >= partitionsBefore) {
                throw new IllegalArgumentException("Partition " + partition + " has no fence at the growth "
                    + partitionsBefore + "->" + partitionsAfter + " (only partitions 0-" + (partitionsBefore - 1) + " do)");
            }
            return fenceOffsets[partition];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Growth other && partitionsBefore == other.partitionsBefore
                && partitionsAfter == other.partitionsAfter && Arrays.equals(fenceOffsets, other.fenceOffsets);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * partitionsBefore + partitionsAfter) + Arrays.hashCode(fenceOffsets);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder().append(partitionsBefore).append("->").append(partitionsAfter).append(':');
            for (int p = 0; p < fenceOffsets.length; p++) {
                if (p > 0) {
                    text.append(',');
                }
                text.append(fenceOffsets[p]);
            }
            return text.toString();
        }
    }

    /** The growths, oldest first; growth i (0-based) created generation i + 1. */
    public List<Growth> growths() {
        return growths;
    }

    public boolean isEmpty() {
        return growths.isEmpty();
    }

    /**
     * These fences and one more growth, from {@code partitionsBefore} (the current count) to
     * {@code partitionsAfter} partitions, with {@code fenceOffsets[p]} the end offset of partition p.
     *
     * @throws IllegalArgumentException when the growth does not continue the last one, adds nothing, or the
     *                                  offsets do not fit; the message names the value and the rule
     */
    public RoutingFences grownTo(int partitionsBefore, int partitionsAfter, long[] fenceOffsets) {
        Growth growth = new Growth(partitionsBefore, partitionsAfter, fenceOffsets.clone());
        List<Growth> all = new ArrayList<>(growths);
        all.add(growth);
        check(all);
        return new RoutingFences(all);
    }

    /**
     * The generation a partition belongs to: 0 for the partitions the topic was created with, g for those the
     * g-th growth added.
     *
     * @throws IllegalArgumentException for a negative partition or one beyond the last growth
     */
    public int generationOf(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("Partition " + partition + " is negative");
        }
        for (int g = growths.size() - 1; g >= 0; g--) {
            Growth growth = growths.get(g);
            if (partition >= growth.partitionsBefore) {
                if (partition >= growth.partitionsAfter) {
                    throw new IllegalArgumentException("Partition " + partition + " is beyond the last growth, which ended at "
                        + growth.partitionsAfter + " partitions");
                }
                return g + 1;
            }
        }
        return 0;
    }

    /**
     * The growth that created generation {@code generation} (1 or more).
     *
     * @throws IllegalArgumentException when there is no such generation
     */
    public Growth growthOf(int generation) {
        if (generation < 1 || generation > growths.size()) {
            throw new IllegalArgumentException("No growth created generation " + generation + "; there are " + growths.size()
                + " growth(s)");
        }
        return growths.get(generation - 1);
    }

    /** The text form (see the class comment); "" when the topic never grew. */
    public String toConfigValue() {
        StringBuilder text = new StringBuilder();
        for (Growth growth : growths) {
            if (!text.isEmpty()) {
                text.append(';');
            }
            text.append(growth);
        }
        return text.toString();
    }

    /**
     * Reads the text form.
     *
     * @throws IllegalArgumentException naming the offending part and what was expected
     */
    public static RoutingFences parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException(CONFIG + " value is null");
        }
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return NONE;
        }
        List<Growth> all = new ArrayList<>();
        for (String part : trimmed.split(";", -1)) {
            all.add(parseGrowth(part.trim()));
        }
        check(all);
        return new RoutingFences(all);
    }

    private static Growth parseGrowth(String part) {
        int arrow = part.indexOf("->");
        int colon = part.indexOf(':');
        if (arrow <= 0 || colon < arrow + 2) {
            throw new IllegalArgumentException("Growth '" + part + "' of " + CONFIG + " is not of the form before->after:o0,o1,...");
        }
        try {
            int before = Integer.parseInt(part.substring(0, arrow).trim());
            int after = Integer.parseInt(part.substring(arrow + 2, colon).trim());
            String offsets = part.substring(colon + 1).trim();
            String[] items = offsets.isEmpty() ? new String[0] : offsets.split(",", -1);
            long[] fences = new long[items.length];
            for (int i = 0; i < items.length; i++) {
                fences[i] = Long.parseLong(items[i].trim());
            }
            return new Growth(before, after, fences);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Growth '" + part + "' of " + CONFIG + " holds a value that is not a whole number: "
                + e.getMessage(), e);
        }
    }

    private static void check(List<Growth> all) {
        for (int g = 0; g < all.size(); g++) {
            Growth growth = all.get(g);
            if (growth.partitionsBefore < 1) {
                throw new IllegalArgumentException("Growth " + growth.partitionsBefore + "->" + growth.partitionsAfter
                    + " starts from fewer than 1 partition");
            }
            if (growth.partitionsAfter <= growth.partitionsBefore) {
                throw new IllegalArgumentException("Growth " + growth.partitionsBefore + "->" + growth.partitionsAfter
                    + " does not add partitions");
            }
            if (growth.fenceOffsets.length != growth.partitionsBefore) {
                throw new IllegalArgumentException("Growth " + growth.partitionsBefore + "->" + growth.partitionsAfter + " has "
                    + growth.fenceOffsets.length + " fence offsets; it needs one per older partition, " + growth.partitionsBefore);
            }
            for (int p = 0; p < growth.fenceOffsets.length; p++) {
                if (growth.fenceOffsets[p] < 0) {
                    throw new IllegalArgumentException("Growth " + growth.partitionsBefore + "->" + growth.partitionsAfter
                        + " has a negative fence offset " + growth.fenceOffsets[p] + " for partition " + p);
                }
            }
            if (g > 0) {
                Growth previous = all.get(g - 1);
                if (growth.partitionsBefore != previous.partitionsAfter) {
                    throw new IllegalArgumentException("Growth " + growth.partitionsBefore + "->" + growth.partitionsAfter
                        + " does not continue the previous one, which ended at " + previous.partitionsAfter + " partitions");
                }
                for (int p = 0; p < previous.partitionsBefore; p++) {
                    if (growth.fenceOffsets[p] < previous.fenceOffsets[p]) {
                        throw new IllegalArgumentException("Growth " + growth.partitionsBefore + "->" + growth.partitionsAfter
                            + " fences partition " + p + " at " + growth.fenceOffsets[p] + ", below its earlier fence "
                            + previous.fenceOffsets[p]);
                    }
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingFences other && growths.equals(other.growths);
    }

    @Override
    public int hashCode() {
        return growths.hashCode();
    }

    @Override
    public String toString() {
        return CONFIG + "=" + toConfigValue();
    }
}
