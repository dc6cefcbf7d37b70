package dev.owly.analytics.runtime;

import dev.owly.analytics.OwlyException;
import dev.owly.analytics.abi.FlatType;
import dev.owly.analytics.abi.FuncType;
import dev.owly.analytics.abi.WitTypes;
import java.util.ArrayList;
import java.util.List;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.ExternalType;
import run.endive.wasm.types.FunctionImport;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * Checks a core module against the world's Canonical ABI signatures ({@link WitTypes}): every
 * import must be a known function with exactly the flattened core type, and every world export
 * present must have its flattened core type. A mismatch fails fast at pool creation rather than as
 * a confusing trap later.
 */
public final class ModuleContract {
  private ModuleContract() {}

  /** Throws {@link OwlyException} naming every mismatch. */
  public static void check(WasmModule module) {
    List<String> problems = problems(module);
    if (!problems.isEmpty()) {
      throw new OwlyException("wasm.contract: " + String.join("; ", problems));
    }
  }

  public static List<String> problems(WasmModule module) {
    List<String> problems = new ArrayList<>();
    var imports = module.importSection();
    int functionImports = 0;
    for (int i = 0; i < imports.importCount(); i++) {
      var imp = imports.getImport(i);
      if (imp.importType() != ExternalType.FUNCTION) {
        problems.add("non-function import " + imp.module() + "#" + imp.name());
        continue;
      }
      functionImports++;
      FuncType f = findImport(imp.module(), imp.name());
      if (f == null) {
        problems.add("unknown import " + imp.module() + "#" + imp.name());
        continue;
      }
      FunctionType actual = module.typeSection().getType(((FunctionImport) imp).typeIndex());
      expect(problems, f + " (import)", f.importCoreParams(), f.importCoreResults(), actual);
    }
    var exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      var exp = exports.getExport(i);
      if (exp.exportType() != ExternalType.FUNCTION) {
        continue;
      }
      for (FuncType f : WitTypes.EXPORTS) {
        if (WitTypes.exportName(f).equals(exp.name())) {
          int typeIndex = module.functionSection().getFunctionType(exp.index() - functionImports);
          FunctionType actual = module.typeSection().getType(typeIndex);
          expect(problems, f + " (export)", f.exportCoreParams(), f.exportCoreResults(), actual);
        }
      }
    }
    return problems;
  }

  private static FuncType findImport(String module, String name) {
    for (FuncType f : WitTypes.IMPORTS) {
      if (WitTypes.importModule(f).equals(module) && f.name.equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static void expect(
      List<String> problems,
      String what,
      List<FlatType> params,
      List<FlatType> results,
      FunctionType actual) {
    if (!valTypes(params).equals(actual.params()) || !valTypes(results).equals(actual.returns())) {
      problems.add(
          what
              + ": expected "
              + params
              + " -> "
              + results
              + ", module has "
              + actual.params()
              + " -> "
              + actual.returns());
    }
  }

  static List<ValType> valTypes(List<FlatType> flat) {
    List<ValType> out = new ArrayList<>(flat.size());
    for (FlatType t : flat) {
      out.add(
          switch (t) {
            case I32 -> ValType.I32;
            case I64 -> ValType.I64;
            case F32 -> ValType.F32;
            case F64 -> ValType.F64;
          });
    }
    return out;
  }

  /** Human-readable list of the module's imports and exports (for diagnostics). */
  public static List<String> describe(WasmModule module) {
    List<String> out = new ArrayList<>();
    var imports = module.importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      out.add("import " + imports.getImport(i).module() + " " + imports.getImport(i).name());
    }
    var exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      out.add("export " + exports.getExport(i).name());
    }
    return out;
  }
}
