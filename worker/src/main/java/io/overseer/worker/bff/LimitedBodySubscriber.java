package io.overseer.worker.bff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte limit and cancels the stream past it, so that a hostile or
 * broken upstream cannot make the worker buffer an unbounded body. A declared {@code
 * Content-Length} above the limit is refused before any byte is read.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

  /** Marks the limit being hit, told apart from I/O errors when the failure is classified. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response body exceeds " + limit + " bytes", null);
    }
  }

  private final long limit;
  private final OptionalLong declaredLength;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long received;

  LimitedBodySubscriber(long limit, OptionalLong declaredLength) {
    this.limit = limit;
    this.declaredLength = declaredLength;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declaredLength.isPresent() && declaredLength.getAsLong() > limit) {
      fail();
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      received += item.remaining();
      if (received > limit) {
        fail();
        return;
      }
      byte[] bytes = new byte[item.remaining()];
      item.get(bytes);
      buffer.writeBytes(bytes);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  private void fail() {
    subscription.cancel();
    result.completeExceptionally(new TooLarge(limit));
  }
}
