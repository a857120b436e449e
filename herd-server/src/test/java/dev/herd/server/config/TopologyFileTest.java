package dev.herd.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyFileTest {
    private static final String PAIR = "{\"servers\": {\"A\": {\"host\": \"127.0.0.1\", \"port\": 1000, \"peers\": [\"B\"]},"
            + " \"B\": {\"port\": 1001, \"peers\": [\"A\"]}}}";

    @Test
    void readsAValidTopology() throws Exception {
        Topology t = TopologyFile.parse(PAIR);
        assertThat(t.names()).containsExactly("A", "B");
        assertThat(t.server("B").orElseThrow()).isEqualTo(new ServerSpec("B", "127.0.0.1", 1001, List.of("A")));
    }

    @Test
    void theAdminPortIsTheClientPortPlusAThousandUnlessTheConfigSaysOtherwise() throws Exception {
        Topology t = TopologyFile.parse("{\"servers\": {\"A\": {\"port\": 1000, \"peers\": [\"B\", \"C\"]},"
                + " \"B\": {\"port\": 1001, \"peers\": [\"A\"], \"admin_port\": 9100},"
                + " \"C\": {\"port\": 1002, \"peers\": [\"A\"], \"admin_port\": \"off\"}}}");
        assertThat(t.server("A").orElseThrow().adminHost()).isEqualTo("127.0.0.1");
        assertThat(t.server("A").orElseThrow().adminPort()).isEqualTo(2000);
        assertThat(t.server("B").orElseThrow().adminPort()).isEqualTo(9100);
        assertThat(t.server("C").orElseThrow().hasAdmin()).isFalse();
        assertThat(Topology.defaultHerd().servers()).extracting(ServerSpec::adminPort)
                .containsExactly(13205, 13206, 13207, 13208, 13209);
    }

    @Test
    void peersLinkToThePortPlusTwoThousandUnlessTheConfigSaysOtherwise() throws Exception {
        Topology t = TopologyFile.parse("{\"servers\": {\"A\": {\"port\": 1000, \"peers\": [\"B\"]},"
                + " \"B\": {\"port\": 1001, \"peers\": [\"A\"], \"peer_port\": 7001}}}");
        assertThat(t.server("A").orElseThrow().peerPort()).isEqualTo(3000);
        assertThat(t.server("B").orElseThrow().peerPort()).isEqualTo(7001);
        assertThat(Topology.defaultHerd().servers()).extracting(ServerSpec::peerPort)
                .containsExactly(14205, 14206, 14207, 14208, 14209);
    }

    @Test
    void theSameConfigReadsTheSameWhateverItsLayout() throws Exception {
        Topology compact = TopologyFile.parse("{\"servers\":{\"A\":{\"host\":\"h\\u0041\",\"port\":1,\"peers\":[]}}}");
        Topology spread = TopologyFile.parse(" {\r\n \"servers\" : {\n\t\"A\" : { \"port\" : 1 , \"host\" : \"hA\" , \"peers\" : [ ] } } }\n");
        assertThat(compact.server("A")).isEqualTo(spread.server("A"));
        assertThat(compact.server("A").orElseThrow().host()).isEqualTo("hA");
    }

    @Test
    void theAdminEndpointCanListenOnAnAddressOfItsOwn() throws Exception {
        Topology t = TopologyFile.parse("{\"servers\": {\"A\": {\"host\": \"10.0.1.11\", \"port\": 12205, \"peers\": [],"
                + " \"admin_host\": \"127.0.0.1\", \"admin_port\": 12205}}}");
        assertThat(t.server("A").orElseThrow().adminHost()).isEqualTo("127.0.0.1");
        assertThat(t.server("A").orElseThrow().adminPort()).isEqualTo(12205);
    }

    @Test
    void aServerListeningOnEveryAddressIsReachedAtItsAdvertisedOne() throws Exception {
        Topology t = TopologyFile.parse("{\"servers\": {\"A\": {\"host\": \"0.0.0.0\", \"advertise\": \"10.0.1.11\", \"port\": 12205,"
                + " \"peers\": [\"B\"]}, \"B\": {\"host\": \"10.0.1.12\", \"port\": 12205, \"peers\": [\"A\"]}}}");
        ServerSpec a = t.server("A").orElseThrow();
        assertThat(a.host()).isEqualTo("0.0.0.0");
        assertThat(a.advertise()).isEqualTo("10.0.1.11");
        assertThat(a.adminReachHost()).isEqualTo("10.0.1.11");
        assertThat(t.server("B").orElseThrow().advertise()).isEqualTo("10.0.1.12");
        HerdConfig b = HerdConfig.builder(t, "B").secret(new HerdSecret("a secret of the herd, long enough".getBytes(StandardCharsets.UTF_8))).build();
        assertThat(b.peerAddressOf("A")).isEqualTo(new InetSocketAddress("10.0.1.11", 14205));
        assertThat(b.adminAddressOf("A")).isEqualTo(new InetSocketAddress("10.0.1.11", 13205));
    }

    @Test
    void theDefaultHerdIsTheProtocolsTable() {
        Topology t = Topology.defaultHerd();
        assertThat(t.names()).containsExactly("Hill", "Jaquez", "Smith", "Campbell", "Singleton");
        assertThat(t.servers()).extracting(ServerSpec::port).containsExactly(12205, 12206, 12207, 12208, 12209);
        assertThat(t.server("Smith").orElseThrow().peers()).containsExactly("Hill", "Campbell", "Singleton");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [\"B\"]}, \"B\": {\"port\": 2, \"peers\": []}}} | links are undirected",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [\"C\"]}}} | unknown server C",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": []}, \"B\": {\"port\": 2, \"peers\": []}}} | not connected",
        "{\"servers\": {\"A\": {\"port\": 70000, \"peers\": []}}} | port: 70000 (expected: 1-65535)",
        "{\"servers\": {\"A\": {\"port\": 0, \"peers\": []}}} | port: 0 (expected: 1-65535)",
        "{\"servers\": {\"A\": {\"port\": \"12\", \"peers\": []}}} | port: \"12\"",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [\"A\"]}}} | its own peer",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"admin_port\": 0}}} | admin_port: 0 (expected: 1-65535, or \"off\")",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"admin_port\": \"on\"}}} | admin_port: \"on\"",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"admin_port\": 1}}} | admin_port: 1 on 127.0.0.1 is also servers.A.port",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [\"B\"]}, \"B\": {\"port\": 2001, \"peers\": [\"A\"]}}}"
                + " | servers.B.port: 2001 on 127.0.0.1 is also servers.A.peer_port",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"peer_port\": 70000}}} | peer_port: 70000 (expected: 1-65535)",
        "{\"servers\": {\"A\": {\"port\": 5, \"peers\": [\"B\"]}, \"B\": {\"port\": 5, \"peers\": [\"A\"]}}} | is also servers.A.port",
        "{\"servers\": {\"A\": {\"port\": 64000, \"peers\": [], \"admin_port\": 9000}}} | peer_port: 66000 (the port + 2000 by default;",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"admin_host\": \"\"}}} | admin_host: \"\" (expected: a host name or address)",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"admin_host\": 7}}} | admin_host: 7",
        "{\"servers\": {\"A\": {\"host\": \"0.0.0.0\", \"port\": 1, \"peers\": []}}} | servers.A.host: 0.0.0.0 listens on every address,"
                + " which peers cannot dial: add \"advertise\": \"ADDRESS\", the address peers and tools reach it at",
        "{\"servers\": {\"A\": {\"host\": \"::\", \"port\": 1, \"peers\": []}}} | servers.A.host: :: listens on every address",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"advertise\": \"0.0.0.0\"}}} | servers.A.advertise: 0.0.0.0 is every address",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [], \"advertise\": \"\"}}} | advertise: \"\" (expected: the host name or address",
        "{\"servers\": {\"A\": {\"port\": 65000, \"peers\": []}}} | admin_port: 66000 (the port + 1000 by default;",
        "{\"servers\": {\"A\": {\"port\": 1, \"peer\": []}}} | unknown key \"peer\"",
        "{\"servers\": {\"A B\": {\"port\": 1, \"peers\": []}}} | blank or control character",
        "{\"servers\": {}} | at least one server",
        "{\"server\": {}} | unknown key \"server\"",
        "{\"servers\": [1]} | servers: missing or not an object",
        "[1, 2] | expected a JSON object",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [\"B\"]}, \"B\": {\"port\": 2, \"peers\": [\"A\", \"A\"]}}} | listed twice",
        "{\"servers\": | not valid JSON: unexpected end of input at line 1, column 12",
        "{\"servers\": {}, \"servers\": {}} | key \"servers\" appears twice",
        "{\"servers\": {\"A\": {\"port\": 1.0, \"peers\": []}}} | port: 1.0 (expected: 1-65535)",
        "{\"servers\": {\"A\": {\"port\": 1, \"peers\": []}}} x | after the document",
        "{\"servers\": {\"A\": {\"port\": 01, \"peers\": []}}} | not valid JSON",
    })
    void rejectsInvalidTopologiesWithAClearMessage(String json, String expected) {
        assertThatThrownBy(() -> TopologyFile.parse(json))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void theDisseminationIsFloodUnlessTheConfigSaysTree(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("herd.json");
        Files.writeString(file, PAIR);
        assertThat(TopologyFile.dissemination(file)).isEmpty();
        assertThat(HerdConfig.builder(TopologyFile.read(file), "A").build().dissemination()).isEqualTo(Dissemination.FLOOD);
        Files.writeString(file, PAIR.substring(0, PAIR.length() - 1) + ", \"dissemination\": \"tree\"}");
        assertThat(TopologyFile.read(file).names()).containsExactly("A", "B");
        assertThat(TopologyFile.dissemination(file)).contains(Dissemination.TREE);
        Files.writeString(file, PAIR.substring(0, PAIR.length() - 1) + ", \"dissemination\": \"gossip\"}");
        assertThatThrownBy(() -> TopologyFile.dissemination(file))
                .hasMessage("config " + file + ": dissemination: \"gossip\" (expected: \"flood\" or \"tree\")");
        Files.writeString(file, PAIR.substring(0, PAIR.length() - 1) + ", \"dissemination\": 1}");
        assertThatThrownBy(() -> TopologyFile.dissemination(file)).hasMessageContaining("dissemination: 1 (expected");
    }

    @Test
    void namesTheFileInItsErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("herd.json");
        Files.writeString(file, "{\"servers\": {\"A\": {\"port\": 99999, \"peers\": []}}}");
        assertThatThrownBy(() -> TopologyFile.read(file)).hasMessage("config " + file + ": servers.A.port: 99999 (expected: 1-65535)");
        assertThatThrownBy(() -> TopologyFile.read(dir.resolve("missing.json"))).hasMessageContaining("no such file");
    }
}
