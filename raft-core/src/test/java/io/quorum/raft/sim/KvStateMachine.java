package io.quorum.raft.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A map of registers: the command {@code key=value} writes a register, the query {@code key}
 * returns its value (empty when never written). Commands without '=' are recorded under their own
 * text as key, so any payload applies deterministically.
 */
public final class KvStateMachine implements SimStateMachine {

    private final TreeMap<String, String> registers = new TreeMap<>();

    public static byte[] writeCommand(String key, String value) {
        return (key + "=" + value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void apply(long index, byte[] command) {
        String text = new String(command, StandardCharsets.UTF_8);
        int eq = text.indexOf('=');
        if (eq < 0) {
            registers.put(text, "");
        } else {
            registers.put(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(registers.size());
            for (Map.Entry<String, String> e : registers.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restore(byte[] snapshot) {
        registers.clear();
        if (snapshot.length == 0) {
            return;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                registers.put(in.readUTF(), in.readUTF());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] query(byte[] query) {
        String value = registers.get(new String(query, StandardCharsets.UTF_8));
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long fingerprint() {
        return registers.hashCode() * 31L + registers.size();
    }
}
