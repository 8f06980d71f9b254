package io.quorum.cli;

import io.quorum.client.QuorumClient;
import io.quorum.client.QuorumException;
import io.quorum.raft.tls.TlsException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a cluster: it takes {@code --endpoints} and {@code --timeout}, and turns
 * an API error into exit status 1 with {@code quorum: <code>: <message>} on stderr. Output goes to
 * {@code System.out} as bytes (a value is printed exactly as stored).
 */
abstract class ClientCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int API_ERROR = 1;

    /** The exit status list every client command's help shows. */
    static final String EXIT_CODES_HEADING = "%nExit status:%n";

    @Mixin
    EndpointOptions endpointOptions;

    @Spec
    CommandSpec spec;

    /** What the command does with a client; answers the exit status. */
    abstract int run(QuorumClient client) throws Exception;

    @Override
    public final Integer call() throws Exception {
        QuorumClient client;
        try {
            client = endpointOptions.client();
        } catch (IllegalArgumentException | TlsException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            return run(client);
        } catch (QuorumException e) {
            return fail(e.code(), e.getMessage());
        }
    }

    /** Prints {@code quorum: <code>: <message>} on stderr and answers exit status 1. */
    static int fail(String code, String message) {
        PrintStream err = System.err;
        err.println("quorum: " + code + ": " + message);
        err.flush();
        return API_ERROR;
    }

    static void println(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
