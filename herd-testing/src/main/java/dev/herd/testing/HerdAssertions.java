package dev.herd.testing;

/** Entry point of the kit's AssertJ assertions on herd replies: {@code assertThat(reply).isAt()...}. */
public final class HerdAssertions {
    private HerdAssertions() {
    }

    /** Assertions on a reply string, as {@link LineClient#iamat}, {@link LineClient#whatsat} or {@link LineClient#readLine} return it. */
    public static ReplyAssert assertThat(String reply) {
        return new ReplyAssert(reply);
    }
}
