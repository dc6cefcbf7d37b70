package dev.owly.analytics.runtime;

import static java.util.Objects.requireNonNull;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.abi.AbiException;
import dev.owly.analytics.abi.CanonicalAbi;
import dev.owly.analytics.spi.Capabilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import run.endive.wasm.types.ExternalType;
import run.endive.wasm.types.MemoryLimits;

/**
 * A fixed number of instances of one module, created lazily. Instances are not thread-safe: each
 * call takes one exclusively. When a call fails, its instance is discarded (a fresh one replaces it
 * on next use) if any guest code ran in it — a trap or a host exception unwinds the guest's frames
 * without its cleanup (borrows, stack pointer), so nothing it holds can be trusted — and the call
 * fails with {@link GuestCallException}. Memory is capped at {@code maxMemoryPages}; each call is
 * limited to {@code callTimeout} (see {@link CallGuard}). A call from inside one of the pool's own
 * calls on the same thread (a capability calling back into the core) fails at once with {@link
 * GuestCallException#REENTRANT}: waiting for a free instance could wait for itself.
 */
public final class InstancePool implements AutoCloseable {
  private final ModuleSource source;
  private final Map<String, CanonicalAbi.HostImpl> impls;
  private final Duration callTimeout;
  private final int maxPages;
  private final Set<String> exportNames = new HashSet<>();
  private final List<String[]> importNames = new ArrayList<>();
  private final Slot[] slots;
  private final BlockingQueue<Slot> free;
  private final ScheduledThreadPoolExecutor watchdog;
  private volatile boolean closed;

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    GuestInstance instance;
    volatile CallGuard active;
    volatile long deadlineNanos;
  }

  private InstancePool(Builder b) {
    this.source = b.source;
    this.impls = HostImports.impls(b.caps);
    this.callTimeout = b.callTimeout;
    var module = source.module();
    ModuleContract.check(module);
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      exportNames.add(module.exportSection().getExport(i).name());
    }
    var imports = module.importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      var imp = imports.getImport(i);
      if (imp.importType() != ExternalType.FUNCTION) {
        throw new OwlyException("wasm.unsupported-import");
      }
      importNames.add(new String[] {imp.module(), imp.name()});
    }
    var declared =
        module
            .memorySection()
            .orElseThrow(() -> new OwlyException("wasm.no-memory"))
            .getMemory(0)
            .limits();
    int max = Math.min(declared.maximumPages(), b.maxMemoryPages);
    if (declared.initialPages() > max) {
      throw new OwlyException("wasm.memory-limit-below-initial");
    }
    this.maxPages = max;
    this.slots = new Slot[b.size];
    this.free = new ArrayBlockingQueue<>(b.size);
    for (int i = 0; i < b.size; i++) {
      slots[i] = new Slot();
      free.add(slots[i]);
    }
    // One sweep over the slots every tenth of the timeout (1 ms..100 ms) rather than a timer
    // per call: a call costs two volatile writes, and a timeout fires at most 10 % late.
    this.watchdog = new ScheduledThreadPoolExecutor(1, r -> daemon(r));
    long period = Math.max(1, Math.min(100, callTimeout.toMillis() / 10));
    watchdog.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "owly-wasm-watchdog");
    t.setDaemon(true);
    return t;
  }

  public static Builder builder(ModuleSource source, Capabilities caps) {
    return new Builder(source, caps);
  }

  /** Configures a pool. */
  public static final class Builder {
    private final ModuleSource source;
    private final Capabilities caps;
    private int size = Runtime.getRuntime().availableProcessors();
    private Duration callTimeout = Duration.ofSeconds(30);
    private int maxMemoryPages = 256;

    private Builder(ModuleSource source, Capabilities caps) {
      this.source = requireNonNull(source, "source");
      this.caps = requireNonNull(caps, "caps");
    }

    public Builder withSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("size must be at least 1");
      }
      this.size = size;
      return this;
    }

    public Builder withCallTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.callTimeout = timeout;
      return this;
    }

    public Builder withMaxMemoryPages(int pages) {
      if (pages < 1 || pages > MemoryLimits.MAX_PAGES) {
        throw new IllegalArgumentException("pages out of range");
      }
      this.maxMemoryPages = pages;
      return this;
    }

    public InstancePool build() {
      return new InstancePool(this);
    }
  }

  /** Runs {@code body} on one instance, exclusively. */
  public <T> T call(Function<GuestInstance, T> body) {
    if (closed) {
      throw new OwlyException("pool.closed");
    }
    refuseReentry();
    Slot slot;
    try {
      slot = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestCallException("interrupted", e);
    }
    try {
      return callOn(slot, body);
    } finally {
      free.add(slot);
    }
  }

  /** Runs {@code body} on every instance created so far, one after the other. */
  public <T> List<T> callEach(Function<GuestInstance, T> body) {
    refuseReentry();
    List<T> out = new ArrayList<>();
    for (Slot slot : slots) {
      slot.lock.lock();
      try {
        if (slot.instance != null) {
          out.add(callOn(slot, body));
        }
      } finally {
        slot.lock.unlock();
      }
    }
    return out;
  }

  /**
   * A thread inside a call of this pool holds that slot's lock. Checked before anything else, so
   * the inner call neither waits for a free slot (with one slot: for itself) nor re-enters the
   * suspended instance through the reentrant lock, nor replaces the outer call's guard and
   * deadline.
   */
  private void refuseReentry() {
    for (Slot slot : slots) {
      if (slot.lock.isHeldByCurrentThread()) {
        throw new GuestCallException(GuestCallException.REENTRANT);
      }
    }
  }

  private <T> T callOn(Slot slot, Function<GuestInstance, T> body) {
    slot.lock.lock();
    try {
      if (Thread.currentThread().isInterrupted()) {
        throw new GuestCallException("interrupted");
      }
      if (slot.instance == null) {
        slot.instance = instantiate();
      }
      GuestInstance instance = slot.instance;
      CallGuard guard = new CallGuard(instance);
      instance.begin(guard);
      slot.deadlineNanos = System.nanoTime() + callTimeout.toNanos();
      slot.active = guard;
      try {
        return body.apply(instance);
      } catch (RuntimeException | StackOverflowError e) {
        if (instance.entered()) {
          discard(slot);
        }
        throw failure(e, guard);
      } catch (Error e) {
        // Whatever unwound through the guest left it in an unknown state.
        discard(slot);
        throw e;
      } finally {
        slot.active = null;
        guard.finish();
        instance.end();
      }
    } finally {
      slot.lock.unlock();
    }
  }

  private static void discard(Slot slot) {
    GuestInstance gone = slot.instance;
    slot.instance = null;
    if (gone != null) {
      try {
        gone.close();
      } catch (RuntimeException ignored) {
        // Freeing a broken instance must not hide the failure that broke it.
      }
    }
  }

  private static GuestCallException failure(Throwable e, CallGuard guard) {
    if (guard.expired()) {
      return new GuestCallException("timeout", e);
    }
    if (e instanceof GuestCallException g) {
      return g;
    }
    if (e instanceof AbiException a) {
      return new GuestCallException(a.code(), a);
    }
    if (e instanceof WasmRuntime.GuestTrap t) {
      return new GuestCallException(t.code(), e);
    }
    if (e instanceof StackOverflowError) {
      return new GuestCallException("stack-overflow", e);
    }
    return new GuestCallException("host.exception", e);
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Slot slot : slots) {
      CallGuard guard = slot.active;
      if (guard != null && now - slot.deadlineNanos > 0) {
        guard.expire();
      }
    }
  }

  private GuestInstance instantiate() {
    GuestInstance[] self = new GuestInstance[1];
    WasmRuntime.Instance instance =
        source
            .runtime()
            .instantiate(HostImports.functions(impls, importNames, () -> self[0]), maxPages);
    self[0] = new GuestInstance(instance, exportNames);
    return self[0];
  }

  /** Instances created now (for tests and measurements). */
  public int liveInstances() {
    int n = 0;
    for (Slot slot : slots) {
      slot.lock.lock();
      try {
        n += slot.instance == null ? 0 : 1;
      } finally {
        slot.lock.unlock();
      }
    }
    return n;
  }

  public String engine() {
    return source.toString();
  }

  @Override
  public void close() {
    closed = true;
    watchdog.shutdownNow();
    for (Slot slot : slots) {
      slot.lock.lock();
      try {
        discard(slot);
      } finally {
        slot.lock.unlock();
      }
    }
  }
}
