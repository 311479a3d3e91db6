package dev.inferpipe.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferpipe.contracts.GoldenMessages;
import dev.inferpipe.localrun.TestKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many malformed bodies, hand-made and mutated from the golden messages with a fixed seed: each
 * gets a 4xx with a message (or, for a mutation that stays valid, a 200), never a 5xx.
 */
class MalformedBodyFuzzTest {
  private static final String MODEL = "fuzz";
  private static LocalPipeline pipeline;
  private static LocalPipeline.Ingress ingress;

  @BeforeAll
  static void start() {
    pipeline = new LocalPipeline(TestKafka.newTopics(1, 1, MODEL));
    pipeline.startWorker(MODEL, "simulated");
    ingress = pipeline.startIngress(0, MODEL);
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, byte[]> handMade() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    String tensor = "{\"name\":\"input\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}";
    bodies.put("empty", new byte[0]);
    bodies.put("not json", utf8("hello"));
    bodies.put("a JSON array", utf8("[1,2,3]"));
    bodies.put("a JSON string", utf8("\"inputs\""));
    bodies.put("missing inputs", utf8("{\"id\":\"x\"}"));
    bodies.put("inputs not an array", utf8("{\"inputs\":{}}"));
    bodies.put("empty inputs", utf8("{\"inputs\":[]}"));
    bodies.put("tensor not an object", utf8("{\"inputs\":[5]}"));
    bodies.put("name a number", utf8("{\"inputs\":[" + tensor.replace("\"input\"", "7") + "]}"));
    bodies.put("shape a string", utf8("{\"inputs\":[" + tensor.replace("[1],", "\"1\",") + "]}"));
    bodies.put("negative dim", utf8("{\"inputs\":[" + tensor.replace("[1],", "[-1],") + "]}"));
    bodies.put("fractional dim", utf8("{\"inputs\":[" + tensor.replace("[1],", "[1.5],") + "]}"));
    bodies.put(
        "huge shape", utf8("{\"inputs\":[" + tensor.replace("[1],", "[100000,100000],") + "]}"));
    bodies.put("shape disagrees", utf8("{\"inputs\":[" + tensor.replace("[1],", "[3],") + "]}"));
    bodies.put("bad datatype", utf8("{\"inputs\":[" + tensor.replace("FP32", "FLOAT") + "]}"));
    bodies.put("string in FP32", utf8("{\"inputs\":[" + tensor.replace("[1]}", "[\"x\"]}") + "]}"));
    bodies.put("null in FP32", utf8("{\"inputs\":[" + tensor.replace("[1]}", "[null]}") + "]}"));
    bodies.put(
        "bool in INT32",
        utf8("{\"inputs\":[" + tensor.replace("FP32", "INT32").replace("[1]}", "[true]}") + "]}"));
    bodies.put(
        "overflow INT8",
        utf8("{\"inputs\":[" + tensor.replace("FP32", "INT8").replace("[1]}", "[300]}") + "]}"));
    bodies.put("number in BYTES", utf8("{\"inputs\":[" + tensor.replace("FP32", "BYTES") + "]}"));
    bodies.put("duplicate names", utf8("{\"inputs\":[" + tensor + "," + tensor + "]}"));
    bodies.put("unknown field", utf8("{\"inputs\":[" + tensor + "],\"extra\":1}"));
    bodies.put("id a number", utf8("{\"id\":5,\"inputs\":[" + tensor + "]}"));
    bodies.put(
        "id too long", utf8("{\"id\":\"" + "i".repeat(300) + "\",\"inputs\":[" + tensor + "]}"));
    bodies.put("parameters an array", utf8("{\"inputs\":[" + tensor + "],\"parameters\":[]}"));
    bodies.put("truncated", utf8("{\"inputs\":[" + tensor));
    bodies.put(
        "invalid UTF-8",
        new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'});
    bodies.put("deep nesting", utf8("[".repeat(100_000) + "]".repeat(100_000)));
    bodies.put(
        "deep data nesting",
        utf8(
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":"
                + "[".repeat(2000)
                + "1"
                + "]".repeat(2000)
                + "}]}"));
    StringBuilder huge =
        new StringBuilder(
            "{\"inputs\":[{\"name\":\"input\",\"shape\":[5000000],\"datatype\":\"FP32\",\"data\":[");
    for (int i = 0; i < 1_000_000; i++) {
      huge.append(i == 0 ? "1" : ",1");
    }
    bodies.put("huge array", utf8(huge.append("]}]}").toString()));
    bodies.put(
        "too many inputs",
        utf8(
            "{\"inputs\":["
                + (tensor + ",").repeat(64).replace("\"input\"", "\"i\"")
                + tensor
                + "]}"));
    return bodies;
  }

  @Test
  void handMadeMalformedBodiesGet4xxWithAMessage() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, byte[]> body : handMade().entrySet()) {
      HttpResponse<String> response = ingress.post(MODEL, body.getValue());
      boolean fine =
          response.statusCode() >= 400
              && response.statusCode() < 500
              && response.body().contains("\"error\"");
      if (!fine) {
        failures.add(
            body.getKey() + " -> " + response.statusCode() + " " + abbreviate(response.body()));
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void mutatedGoldenMessagesNeverGet5xx() throws Exception {
    SplittableRandom random = new SplittableRandom(20261128);
    List<String> failures = new ArrayList<>();
    int valid = 0;
    for (int i = 0; i < 300; i++) {
      String golden = GoldenMessages.VALID_REQUESTS.get(i % GoldenMessages.VALID_REQUESTS.size());
      byte[] body = mutate(GoldenMessages.valid(golden), random);
      HttpResponse<String> response = ingress.post(MODEL, body);
      if (response.statusCode() == 200) {
        valid++;
      } else if (response.statusCode() >= 500) {
        failures.add(
            new String(body, StandardCharsets.UTF_8)
                + " -> "
                + response.statusCode()
                + " "
                + abbreviate(response.body()));
      }
    }
    assertThat(failures).isEmpty();
    assertThat(valid).isLessThan(300);
  }

  private static byte[] mutate(byte[] original, SplittableRandom random) {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : original) {
      bytes.add(b);
    }
    int edits = 1 + random.nextInt(4);
    byte[] alphabet =
        "{}[]\",:0123456789.-eE truefalsnul\\\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
      int at = random.nextInt(bytes.size());
      switch (random.nextInt(3)) {
        case 0 -> bytes.remove(at);
        case 1 -> bytes.add(at, alphabet[random.nextInt(alphabet.length)]);
        default -> bytes.set(at, alphabet[random.nextInt(alphabet.length)]);
      }
    }
    byte[] mutated = new byte[bytes.size()];
    for (int i = 0; i < mutated.length; i++) {
      mutated[i] = bytes.get(i);
    }
    return mutated;
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
