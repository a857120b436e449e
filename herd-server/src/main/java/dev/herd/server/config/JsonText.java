package dev.herd.server.config;

import java.util.List;
import java.util.Map;

/** JSON values as text, for messages about them. */
public final class JsonText {
    private JsonText() {
    }

    /** A value as it would appear in JSON, for error messages: strings quoted, others as written. */
    public static String show(Object value) {
        if (value instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(out.length() > 1 ? "," : "").append(JsonText.show(e.getKey())).append(':').append(JsonText.show(e.getValue()));
            }
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                out.append(out.length() > 1 ? "," : "").append(JsonText.show(item));
            }
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }
}
