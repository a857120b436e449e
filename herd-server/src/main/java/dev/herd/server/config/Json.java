package dev.herd.server.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for the config file, into plain Java values: an object is a
 * {@code Map<String, Object>} in file order, an array a {@code List<Object>}, a string a {@code String},
 * a number a {@code Long} when it is a whole number that fits and a {@code BigDecimal} otherwise,
 * {@code true}/{@code false} a {@code Boolean}, and {@code null} {@link #NULL}.
 *
 * <p>Why not Jackson, which the server uses for Places: the config is read before the server can
 * listen, and on a fresh JVM Jackson's databind costs about 270 ms there, its streaming parser alone
 * 50-65 ms (measured), against the 100 ms a server has to start accepting. This reads a config in a
 * millisecond and loads two classes.
 */
public final class Json extends JsonCursor {
    /** JSON's {@code null}, so that a key set to null is told apart from a missing one. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    private Json(String text) {
        super(text);
    }

    /** Parses one JSON document; anything but white space after it is an error. */
    public static Object parse(String text) throws ConfigException {
        Json json = new Json(text);
        json.skipBlanks();
        Object value = json.value();
        json.skipBlanks();
        if (json.pos < text.length()) {
            throw json.error("unexpected " + json.describeHere() + " after the document");
        }
        return value;
    }

    private Object value() throws ConfigException {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", NULL);
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
                throw error("unexpected " + describeHere());
        }
    }

    private Map<String, Object> object() throws ConfigException {
        enter();
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipBlanks();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipBlanks();
            if (peek() != '"') {
                throw error("expected a key in double quotes, found " + describeHere());
            }
            int keyAt = pos;
            String key = string();
            skipBlanks();
            expect(':');
            skipBlanks();
            if (map.put(key, value()) != null) {
                pos = keyAt;
                throw error("key " + JsonText.show(key) + " appears twice");
            }
            skipBlanks();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                depth--;
                return map;
            } else {
                throw error("expected ',' or '}', found " + describeHere());
            }
        }
    }

    private List<Object> array() throws ConfigException {
        enter();
        pos++;
        List<Object> list = new ArrayList<>();
        skipBlanks();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipBlanks();
            list.add(value());
            skipBlanks();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                depth--;
                return list;
            } else {
                throw error("expected ',' or ']', found " + describeHere());
            }
        }
    }

    private String string() throws ConfigException {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string (escape it)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("incomplete \\u escape");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(pos++), 16);
                        if (digit < 0) {
                            pos--;
                            throw error("bad \\u escape");
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> {
                    pos--;
                    throw error("bad escape \\" + e);
                }
            }
        }
    }

    private Object number() throws ConfigException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit, found " + describeHere());
        }
        boolean whole = true;
        if (peek() == '.') {
            pos++;
            whole = false;
            if (!digits()) {
                throw error("expected a digit after '.', found " + describeHere());
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            whole = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent, found " + describeHere());
            }
        }
        String literal = text.substring(start, pos);
        if (whole && literal.length() <= 18) {
            return Long.parseLong(literal);
        }
        return new BigDecimal(literal);
    }
}
