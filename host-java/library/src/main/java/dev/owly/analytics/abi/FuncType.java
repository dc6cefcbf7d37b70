package dev.owly.analytics.abi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A WIT function signature and its core wasm flattening ({@code flatten_functype}): at most 16 flat
 * parameters (else one pointer to the parameter tuple in memory) and at most 1 flat result (else a
 * pointer: returned by an export, passed as the last parameter of an import).
 */
public final class FuncType {
  public static final int MAX_FLAT_PARAMS = 16;
  public static final int MAX_FLAT_RESULTS = 1;

  /** The WIT interface, e.g. {@code storage}. */
  public final String iface;

  /** The WIT function name, e.g. {@code random-bytes} or {@code record}. */
  public final String name;

  public final List<WitType> params;

  /** Null for a function without result. */
  public final WitType result;

  final WitType.Rec paramTuple;
  final boolean paramsInMemory;
  final boolean resultInMemory;
  private final FlatType[] flatParams;

  private FuncType(String iface, String name, List<WitType> params, WitType result) {
    this.iface = requireNonNull(iface, "iface");
    this.name = requireNonNull(name, "name");
    this.params = List.copyOf(params);
    this.result = result;
    this.paramTuple = WitType.tuple(params.toArray(WitType[]::new));
    this.paramsInMemory = paramTuple.flatCount() > MAX_FLAT_PARAMS;
    this.resultInMemory = result != null && result.flatCount() > MAX_FLAT_RESULTS;
    List<FlatType> flat = new ArrayList<>();
    if (paramsInMemory) {
      flat.add(FlatType.I32);
    } else {
      flat.addAll(List.of(paramTuple.flat()));
    }
    this.flatParams = flat.toArray(FlatType[]::new);
  }

  public static FuncType of(String iface, String name, WitType result, WitType... params) {
    return new FuncType(iface, name, List.of(params), result);
  }

  /** Core parameter types of the export the host calls (lift context). */
  public List<FlatType> exportCoreParams() {
    return List.of(flatParams);
  }

  /** Core result types of the export the host calls: the flat result or a pointer to it. */
  public List<FlatType> exportCoreResults() {
    if (result == null) {
      return List.of();
    }
    return resultInMemory ? List.of(FlatType.I32) : List.of(result.flat());
  }

  /** Core parameter types of the import the guest calls: a return pointer is appended if needed. */
  public List<FlatType> importCoreParams() {
    List<FlatType> out = new ArrayList<>(List.of(flatParams));
    if (resultInMemory) {
      out.add(FlatType.I32);
    }
    return out;
  }

  /** Core result types of the import the guest calls: empty when written through the pointer. */
  public List<FlatType> importCoreResults() {
    if (result == null || resultInMemory) {
      return List.of();
    }
    return List.of(result.flat());
  }

  @Override
  public String toString() {
    return iface + "." + name;
  }
}
