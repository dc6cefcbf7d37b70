package dev.owly.analytics.bench;

import dev.owly.analytics.core.Core;
import dev.owly.analytics.core.Engine;
import dev.owly.analytics.spi.Mode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap retained per live instance: creates N single-instance cores (after one warm-up core that
 * loads the module and the generated classes), makes each instantiate with one call, and compares
 * used heap after full GCs. Run: {@code java -cp <test classpath>
 * dev.owly.analytics.bench.InstanceHeap [N] [AOT|INTERPRETER]}.
 */
public final class InstanceHeap {
  private InstanceHeap() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    Engine engine = args.length > 1 ? Engine.valueOf(args[1]) : Engine.AOT;
    try (Core warm = core(engine)) {
      warm.record(BenchCaps.EVENT);
    }
    long before = usedAfterGc();
    List<Core> cores = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Core c = core(engine);
      c.record(BenchCaps.EVENT);
      cores.add(c);
    }
    long after = usedAfterGc();
    System.out.printf(
        "engine=%s instances=%d heap/instance=%.2f MiB (total %.1f MiB)%n",
        engine,
        n,
        (after - before) / (double) n / (1 << 20),
        (after - before) / (double) (1 << 20));
    cores.forEach(Core::close);
  }

  private static Core core(Engine engine) {
    return Core.builder(BenchCaps.capabilities(0, Mode.LOCAL))
        .withEngine(engine)
        .withPoolSize(1)
        .build();
  }

  private static long usedAfterGc() {
    var mem = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
