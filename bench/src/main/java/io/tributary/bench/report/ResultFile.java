package io.tributary.bench.report;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON result file of a run: {@code {"format": "tributary-bench/1", "runs": [ ... ]}} where each run is
 * a {@link RunResult} with its components as keys (nested records as objects, lists as arrays). Results are
 * Java records, so the mapping is done once, by their components, both ways: writing and reading back give
 * an equal record. A map component absent from a file (one written before it existed) reads as null, which the
 * record may take as empty; any other absent component is refused.
 */
public final class ResultFile {
    public static final String FORMAT = "tributary-bench/1";

    private ResultFile() {
    }

    public static void write(Path file, List<RunResult> runs) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.put("runs", tree(runs));
        Files.writeString(file, Json.write(document), StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the file is not a result file of this format */
    public static List<RunResult> read(Path file) throws IOException {
        Object document = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(document instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
            throw new IllegalArgumentException(file + " is not a result file of format " + FORMAT);
        }
        List<RunResult> runs = new ArrayList<>();
        for (Object run : (List<?>) map.get("runs")) {
            runs.add(fromTree(RunResult.class, run));
        }
        return runs;
    }

    /** Records as maps of their components, lists and maps element by element, anything else as it is. */
    public static Object tree(Object value) {
        if (value instanceof Record record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                try {
                    map.put(c.getName(), tree(c.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c + " of " + record.getClass().getSimpleName(), e);
                }
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(tree(v)));
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), tree(v)));
            return out;
        }
        return value;
    }

    /** The inverse of {@link #tree} for a record type: components by name, numbers converted to their types. */
    @SuppressWarnings("unchecked")
    public static <T> T fromTree(Class<T> type, Object tree) {
        return (T) convert(type, tree);
    }

    private static Object convert(Type type, Object tree) {
        if (tree == null) {
            return null;
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type element = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
            if (List.class.isAssignableFrom(raw)) {
                List<Object> out = new ArrayList<>();
                ((List<?>) tree).forEach(v -> out.add(convert(element, v)));
                return out;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) tree).forEach((k, v) -> out.put((String) k, convert(element, v)));
                return out;
            }
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord()) {
            Map<?, ?> map = (Map<?, ?>) tree;
            RecordComponent[] components = c.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                if (!map.containsKey(components[i].getName()) && (types[i].isPrimitive() || !Map.class.isAssignableFrom(types[i]))) {
                    throw new IllegalArgumentException(c.getSimpleName() + " lacks '" + components[i].getName() + "'");
                }
                args[i] = convert(components[i].getGenericType(), map.get(components[i].getName()));
            }
            try {
                Constructor<?> constructor = c.getDeclaredConstructor(types);
                return constructor.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot make a " + c.getSimpleName() + " of " + map, e);
            }
        }
        if (c == double.class || c == Double.class) {
            return ((Number) tree).doubleValue();
        }
        if (c == long.class || c == Long.class) {
            return ((Number) tree).longValue();
        }
        if (c == int.class || c == Integer.class) {
            return ((Number) tree).intValue();
        }
        return tree;
    }
}
