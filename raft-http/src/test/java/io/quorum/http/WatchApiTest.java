package io.quorum.http;

import io.quorum.raft.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The long poll of {@code /v1/watch/{prefix}} on one node. */
class WatchApiTest extends SingleNodeFixture {

    /** The applied index the node reports, to watch after. */
    static long currentIndex(Api api) {
        return Long.parseLong(api.get("/health").header("X-Quorum-Index"));
    }

    static List<String> describe(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("events").forEach(e -> out.add(e.get("type").asText() + " " + e.get("key").asText()));
        return out;
    }

    @Test
    void aParkedWatcherReceivesTheNextPut() {
        CompletableFuture<Api.Answer> watch = CompletableFuture.supplyAsync(() -> api.get("/v1/watch/parked/?wait=10s"));
        int[] n = {0};
        // The watch with no index waits for the next change after it started: put until it answers.
        Await.until("the watch answers", Duration.ofSeconds(10), () -> {
            assertThat(api.put("/v1/kv/parked/k", Integer.toString(n[0]++)).status()).isEqualTo(200);
            return watch.isDone();
        });
        Api.Answer answer = watch.join();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode event = answer.json().get("events").get(0);
        assertThat(event.get("type").asText()).isEqualTo("put");
        assertThat(event.get("key").asText()).isEqualTo("parked/k");
        assertThat(event.get("version").asLong()).isPositive();
        assertThat(answer.json().get("index").asLong()).isGreaterThanOrEqualTo(event.get("index").asLong());
    }

    @Test
    void aWatchAtAnIndexWaitsForTheFirstLaterEvent() {
        long start = currentIndex(api);
        CompletableFuture<Api.Answer> watch = CompletableFuture.supplyAsync(
                () -> api.get("/v1/watch/later/?index=" + start + "&wait=10s"));
        assertThat(api.put("/v1/kv/other/x", "v").status()).isEqualTo(200);
        assertThat(api.put("/v1/kv/later/a", "v").status()).isEqualTo(200);

        Api.Answer answer = watch.join();

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(describe(answer.json())).containsExactly("put later/a");
    }

    @Test
    void anIndexGivesExactlyTheLaterEventsUnderThePrefixInOrder() {
        long start = currentIndex(api);
        api.put("/v1/kv/seq/a", "1");
        api.put("/v1/kv/elsewhere", "1");
        long middle = currentIndex(api);
        api.put("/v1/kv/seq/b", "2");
        api.delete("/v1/kv/seq/a");

        JsonNode all = api.get("/v1/watch/seq/?index=" + start + "&wait=0s").json();
        JsonNode later = api.get("/v1/watch/seq/?index=" + middle + "&wait=0s").json();
        JsonNode everything = api.get("/v1/watch/?index=" + start + "&wait=0s").json();

        assertThat(describe(all)).containsExactly("put seq/a", "put seq/b", "delete seq/a");
        assertThat(describe(later)).containsExactly("put seq/b", "delete seq/a");
        assertThat(describe(everything)).containsExactly("put seq/a", "put elsewhere", "put seq/b", "delete seq/a");
        List<Long> indexes = new ArrayList<>();
        everything.get("events").forEach(e -> indexes.add(e.get("index").asLong()));
        assertThat(indexes).isSorted().doesNotHaveDuplicates().allMatch(i -> i > start);
        // Resuming after the answer's index repeats nothing.
        long next = all.get("index").asLong();
        assertThat(describe(api.get("/v1/watch/seq/?index=" + next + "&wait=0s").json())).isEmpty();
    }

    @Test
    void aWatchWithNothingToReportAnswersEmptyAfterItsWait() {
        long before = currentIndex(api);
        long t0 = System.nanoTime();

        Api.Answer answer = api.get("/v1/watch/nothing-here/?wait=300ms");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("events").size()).isZero();
        assertThat(answer.json().get("index").asLong()).isGreaterThanOrEqualTo(before);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aStreamResumesAfterItsLastEventIdAndDeliversLaterPuts() throws Exception {
        long start = currentIndex(api);
        api.put("/v1/kv/sse/a", "1");
        long aIndex = api.get("/v1/watch/sse/?index=" + start + "&wait=0s").json().get("events").get(0).get("index").asLong();
        api.put("/v1/kv/sse/b", "2");

        HttpResponse<Stream<String>> stream = api.stream("/v1/watch/sse/", "Accept", "text/event-stream",
                "Last-Event-ID", Long.toString(aIndex));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> read = readUntil(stream, "sse/c", lines);
        assertThat(api.put("/v1/kv/sse/c", "3").status()).isEqualTo(200);
        read.get(10, TimeUnit.SECONDS);
        stream.body().close();

        assertThat(keysOf(lines)).containsExactly("sse/b", "sse/c");
        assertThat(lines).contains("event: put").anyMatch(l -> l.matches("id: \\d+"));
    }

    @Test
    void aStreamWithoutIndexOrLastEventIdDeliversWhatHappensAfterItOpens() throws Exception {
        api.put("/v1/kv/live/before", "0");
        HttpResponse<Stream<String>> stream = api.stream("/v1/watch/live/", "Accept", "text/event-stream");
        assertThat(stream.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> read = readUntil(stream, "live/after", lines);
        assertThat(api.put("/v1/kv/live/after", "1").status()).isEqualTo(200);
        read.get(10, TimeUnit.SECONDS);
        stream.body().close();

        assertThat(keysOf(lines)).containsExactly("live/after");
    }

    /** Collects the stream's lines into {@code lines} until one mentions {@code marker}. */
    private static CompletableFuture<Void> readUntil(HttpResponse<Stream<String>> stream, String marker, List<String> lines) {
        return CompletableFuture.runAsync(() -> {
            Iterator<String> it = stream.body().iterator();
            while (it.hasNext()) {
                String line = it.next();
                lines.add(line);
                if (line.contains(marker)) {
                    return;
                }
            }
        });
    }

    /** The keys of the events in a stream's data lines, in order. */
    private static List<String> keysOf(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("data: "))
                .map(l -> l.replaceAll(".*\"key\":\"([^\"]*)\".*", "$1")).toList();
    }
}
