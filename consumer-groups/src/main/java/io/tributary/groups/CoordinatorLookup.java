package io.tributary.groups;

/** Whether this broker coordinates a group (NONE) or why not, with a message for the client. */
public record CoordinatorLookup(GroupError error, String message) {
}
