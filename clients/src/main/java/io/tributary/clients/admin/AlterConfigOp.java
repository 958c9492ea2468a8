package io.tributary.clients.admin;

/**
 * One change of an incremental config alteration (IncrementalAlterConfigs): set a value, delete an override
 * (back to the default), or append to / subtract from a list-valued config.
 *
 * @param value the value to set, append or subtract; null for {@link OpType#DELETE}
 */
public record AlterConfigOp(String name, String value, OpType op) {
    /** The operations with Kafka's wire ids. */
    public enum OpType {
        SET(0), DELETE(1), APPEND(2), SUBTRACT(3);

        private final byte id;

        OpType(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }
    }

    public AlterConfigOp {
        if (name == null || name.isEmpty() || op == null) {
            throw new IllegalArgumentException("A config change needs a name and an operation, got '" + name + "' and " + op);
        }
        if (op != OpType.DELETE && value == null) {
            throw new IllegalArgumentException("Config change " + op + " of " + name + " needs a value");
        }
    }

    public static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(name, value, OpType.SET);
    }

    public static AlterConfigOp delete(String name) {
        return new AlterConfigOp(name, null, OpType.DELETE);
    }

    public static AlterConfigOp append(String name, String value) {
        return new AlterConfigOp(name, value, OpType.APPEND);
    }

    public static AlterConfigOp subtract(String name, String value) {
        return new AlterConfigOp(name, value, OpType.SUBTRACT);
    }
}
