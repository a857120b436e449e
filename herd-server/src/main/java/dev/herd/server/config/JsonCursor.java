package dev.herd.server.config;

/** Where a JSON reader is in its text, and the small steps every rule takes: blanks, expected characters, errors with a line and column. */
abstract class JsonCursor {
    static final int MAX_DEPTH = 64;

    final String text;
    int pos;
    int depth;

    JsonCursor(String text) {
        this.text = text;
    }

    final boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    final Object word(String word, Object value) throws ConfigException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describeHere());
        }
        pos += word.length();
        return value;
    }

    final void enter() throws ConfigException {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    final void expect(char c) throws ConfigException {
        if (peek() != c) {
            throw error("expected '" + c + "', found " + describeHere());
        }
        pos++;
    }

    final char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    final void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    final String describeHere() {
        return pos >= text.length() ? "end of input" : "'" + text.charAt(pos) + "'";
    }

    final ConfigException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new ConfigException("not valid JSON: " + what + " at line " + line + ", column " + column);
    }
}
