package dev.herd.server.places;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Places JSON in and out: parsing that keeps every number exactly as the source wrote it, Google's
 * error objects, and printing in Google's own style (3-space indent, {@code "key" : value}, short
 * scalar arrays on one line, {@code <} and {@code >} escaped) with {@code results} cut to a bound.
 */
public final class PlacesJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final String INDENT = "   ";

    private PlacesJson() {
    }

    /** @throws JsonProcessingException when {@code text} is not JSON */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** An empty object from the exact-number factory. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Our own answer when a source gave none: {@code UNKNOWN_ERROR}, saying why without URL or key. */
    public static ObjectNode failure(String reason) {
        return error("UNKNOWN_ERROR", "Places request failed: " + reason);
    }

    /** An answer in the legacy shape for a failure: no results, a Google status word and a message. */
    public static ObjectNode error(String status, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error_message", message);
        node.putArray("html_attributions");
        node.putArray("results");
        node.put("status", status);
        return node;
    }

    /** The status word of an answer, or {@code null} if it has none. */
    public static String status(JsonNode answer) {
        JsonNode status = answer == null ? null : answer.get("status");
        return status != null && status.isTextual() ? status.asText() : null;
    }

    /** Prints {@code answer} in Google's style with its top-level {@code results} cut to {@code bound}. */
    public static String render(JsonNode answer, int bound) {
        StringBuilder out = new StringBuilder(1024);
        write(answer, out, "", bound);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, String indent, int resultsBound) {
        if (node.isObject()) {
            writeObject(node, out, indent, resultsBound);
        } else if (node.isArray()) {
            writeArray(node, out, indent, Integer.MAX_VALUE);
        } else {
            writeScalar(node, out);
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out, String indent, int resultsBound) {
        if (node.isEmpty()) {
            out.append("{}");
            return;
        }
        String inner = indent + INDENT;
        out.append("{\n");
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!first) {
                out.append(",\n");
            }
            first = false;
            out.append(inner);
            quote(field.getKey(), out);
            out.append(" : ");
            JsonNode value = field.getValue();
            // Only the top level's results are cut (resultsBound is MAX_VALUE below it).
            if (value.isArray() && field.getKey().equals("results")) {
                writeArray(value, out, inner, resultsBound);
            } else {
                write(value, out, inner, Integer.MAX_VALUE);
            }
        }
        out.append('\n').append(indent).append('}');
    }

    private static void writeArray(JsonNode node, StringBuilder out, String indent, int limit) {
        int count = Math.min(node.size(), limit);
        if (count == 0) {
            out.append("[]");
            return;
        }
        if (allScalars(node, count)) {
            out.append("[ ");
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                writeScalar(node.get(i), out);
            }
            out.append(" ]");
            return;
        }
        String inner = indent + INDENT;
        out.append("[\n");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(",\n");
            }
            out.append(inner);
            write(node.get(i), out, inner, Integer.MAX_VALUE);
        }
        out.append('\n').append(indent).append(']');
    }

    private static boolean allScalars(JsonNode array, int count) {
        for (int i = 0; i < count; i++) {
            if (array.get(i).isContainerNode() || (array.get(i).isTextual() && array.get(i).asText().length() > 40)) {
                return false;
            }
        }
        return true;
    }

    private static void writeScalar(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            quote(node.asText(), out);
        } else if (node.isBigDecimal()) {
            BigDecimal value = node.decimalValue();
            out.append(value.toPlainString());
        } else {
            out.append(node.toString());
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(text);
        for (char c : escaped) {
            if (c == '<') {
                out.append("\\u003c");
            } else if (c == '>') {
                out.append("\\u003e");
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
