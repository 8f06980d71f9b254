package io.quorum.raft.sim;

import io.quorum.raft.protocol.Message;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A lossy network between simulated nodes: each message may be dropped, duplicated, or delayed by
 * a random amount (which reorders messages on the same link). A cut link ({@link Topology})
 * drops messages both when sent and when they would arrive, so a partition also swallows what was
 * already in flight.
 */
public final class SimNetwork {

    /** How bad the network is right now. */
    public record Weather(double dropRate, double duplicateRate, int minDelay, int maxDelay, double slowRate) {
        public static final Weather CALM = new Weather(0, 0, 1, 6, 0);
    }

    private final EventQueue clock;
    private final SplittableRandom random;
    private final Topology topology = new Topology();
    private final Consumer<Message> receiver;
    private Weather weather = Weather.CALM;
    private long sent;
    private long dropped;

    public SimNetwork(EventQueue clock, SplittableRandom random, Consumer<Message> receiver) {
        this.clock = clock;
        this.random = random;
        this.receiver = receiver;
    }

    public Topology topology() {
        return topology;
    }

    public void setWeather(Weather weather) {
        this.weather = weather;
    }

    public Weather weather() {
        return weather;
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }

    public void send(Message m) {
        sent++;
        if (!topology.connected(m.from(), m.to()) || random.nextDouble() < weather.dropRate()) {
            dropped++;
            return;
        }
        schedule(m);
        if (random.nextDouble() < weather.duplicateRate()) {
            schedule(m);
        }
    }

    private void schedule(Message m) {
        int delay = weather.minDelay() + random.nextInt(weather.maxDelay() - weather.minDelay() + 1);
        if (random.nextDouble() < weather.slowRate()) {
            delay += random.nextInt(10 * weather.maxDelay() + 1);
        }
        clock.after(delay, () -> arrive(m));
    }

    private void arrive(Message m) {
        if (!topology.connected(m.from(), m.to())) {
            dropped++;
            return;
        }
        receiver.accept(m);
    }
}
