package io.quorum.bench;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** The key space: key {@code i} is {@code i} in decimal, zero-padded to {@code --key-size} characters. */
final class Keys {

    private final int keySize;
    private final int keySpace;

    Keys(int keySize, int keySpace) {
        this.keySize = keySize;
        this.keySpace = keySpace;
    }

    String key(int index) {
        String digits = Integer.toString(index);
        if (digits.length() >= keySize) {
            return digits;
        }
        char[] padded = new char[keySize];
        Arrays.fill(padded, 0, keySize - digits.length(), '0');
        digits.getChars(0, digits.length(), padded, keySize - digits.length());
        return new String(padded);
    }

    String random() {
        return key(ThreadLocalRandom.current().nextInt(keySpace));
    }

    int size() {
        return keySpace;
    }
}
