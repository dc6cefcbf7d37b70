package dev.owly.analytics.graalwasm;

import dev.owly.analytics.abi.FlatType;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.ExternalType;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * The core types of the module's exported functions, read once with Endive's parser (the library's
 * own dependency): GraalWasm takes i32 arguments as Java ints and i64 as longs.
 */
final class Signatures {
  private final Map<String, FlatType[]> params = new HashMap<>();
  private final Map<String, FlatType[]> results = new HashMap<>();

  static Signatures of(byte[] wasm) {
    WasmModule module = Parser.parse(wasm);
    Signatures s = new Signatures();
    int functionImports = 0;
    var imports = module.importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      if (imports.getImport(i).importType() == ExternalType.FUNCTION) {
        functionImports++;
      }
    }
    var exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      var exp = exports.getExport(i);
      if (exp.exportType() != ExternalType.FUNCTION || exp.index() < functionImports) {
        continue;
      }
      int typeIndex = module.functionSection().getFunctionType(exp.index() - functionImports);
      FunctionType t = module.typeSection().getType(typeIndex);
      s.params.put(exp.name(), flat(t.params().toArray(ValType[]::new)));
      s.results.put(exp.name(), flat(t.returns().toArray(ValType[]::new)));
    }
    return s;
  }

  private static FlatType[] flat(ValType[] types) {
    FlatType[] out = new FlatType[types.length];
    for (int i = 0; i < types.length; i++) {
      ValType v = types[i];
      if (v.equals(ValType.I32)) {
        out[i] = FlatType.I32;
      } else if (v.equals(ValType.I64)) {
        out[i] = FlatType.I64;
      } else if (v.equals(ValType.F32)) {
        out[i] = FlatType.F32;
      } else {
        out[i] = FlatType.F64;
      }
    }
    return out;
  }

  Set<String> exportNames() {
    return params.keySet();
  }

  FlatType[] exportParams(String name) {
    return params.get(name);
  }

  FlatType[] results(String name) {
    return results.get(name);
  }
}
