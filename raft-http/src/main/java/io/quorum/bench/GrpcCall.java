package io.quorum.bench;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One unary gRPC call as a {@link CompletableFuture}: the observer that an async stub answers
 * completes it with the response, or exceptionally with a {@link BenchFailure} whose kind is the
 * gRPC status code ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, …). It completes on the thread
 * that delivers the answer and never blocks it.
 */
final class GrpcCall<T> implements StreamObserver<T> {

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private T response;

    private GrpcCall() {
    }

    /** Starts {@code method} (an async stub's method) with {@code request}. */
    static <Q, T> CompletableFuture<T> call(BiConsumer<Q, StreamObserver<T>> method, Q request) {
        GrpcCall<T> call = new GrpcCall<>();
        try {
            method.accept(request, call);
        } catch (RuntimeException e) {
            call.onError(e);
        }
        return call.result;
    }

    @Override
    public void onNext(T value) {
        response = value;
    }

    @Override
    public void onError(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        String description = status.getDescription() != null ? status.getDescription() : String.valueOf(failure);
        result.completeExceptionally(new BenchFailure(status.getCode().name(), description));
    }

    @Override
    public void onCompleted() {
        if (response == null) {
            result.completeExceptionally(new BenchFailure("no answer", "the call completed without a response"));
        } else {
            result.complete(response);
        }
    }
}
