package io.tributary.clients.consumer.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which Kafka's range and round-robin assignors walk members: static members first, by
 * {@code group.instance.id}, then dynamic members by member id. With the same order, our leader and a Kafka
 * leader hand out the same partitions to the same members.
 */
final class MemberOrder {
    private MemberOrder() {
    }

    record Member(String memberId, String groupInstanceId) {
    }

    static final Comparator<Member> ORDER = (a, b) -> {
        if (a.groupInstanceId != null && b.groupInstanceId != null) {
            return a.groupInstanceId.compareTo(b.groupInstanceId);
        }
        if (a.groupInstanceId != null) {
            return -1;
        }
        if (b.groupInstanceId != null) {
            return 1;
        }
        return a.memberId.compareTo(b.memberId);
    };

    /** The members of {@code subscriptions} in Kafka's order. */
    static List<Member> sorted(Map<String, Subscription> subscriptions) {
        List<Member> members = new ArrayList<>(subscriptions.size());
        subscriptions.forEach((id, s) -> members.add(new Member(id, s.groupInstanceId())));
        members.sort(ORDER);
        return members;
    }
}
