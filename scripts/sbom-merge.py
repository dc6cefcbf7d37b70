#!/usr/bin/env python3
"""Merges the Rust crates linked into the wasm core into the Maven CycloneDX SBOM.

Usage: sbom-merge.py MAVEN_BOM CARGO_MANIFEST OUT

The crates are those `cargo tree -p owly-core --target wasm32-unknown-unknown -e normal` lists,
minus proc-macro crates and everything only they depend on (they run in the compiler and are not
linked into the module). Versions and SHA-256 checksums come from Cargo.lock.
"""
import json
import subprocess
import sys
import tomllib
from pathlib import Path


def wasm_crates(manifest: Path):
    base = ["cargo", "tree", "--manifest-path", str(manifest), "-p", "owly-core",
            "--target", "wasm32-unknown-unknown", "-e", "normal", "--prefix", "depth",
            "--format", "{p}", "--locked"]
    result = subprocess.run(base + ["--offline"], capture_output=True, text=True)
    if result.returncode != 0:
        result = subprocess.run(base, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("sbom-merge: cargo tree failed:\n" + result.stderr)
    crates = {}
    skip_below = None  # depth of a proc-macro whose subtree is not linked
    for line in result.stdout.splitlines():
        digits = len(line) - len(line.lstrip("0123456789"))
        if digits == 0:
            continue
        depth, text = int(line[:digits]), line[digits:]
        if skip_below is not None:
            if depth > skip_below:
                continue
            skip_below = None
        if "(proc-macro)" in text:
            skip_below = depth
            continue
        name, version = text.split()[0], text.split()[1].lstrip("v")
        crates[(name, version)] = depth
    return sorted(crates)


def main():
    maven_bom, manifest, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    bom = json.loads(maven_bom.read_text(encoding="utf-8"))
    lock = tomllib.loads((manifest.parent / "Cargo.lock").read_text(encoding="utf-8"))
    checksums = {(p["name"], p["version"]): p.get("checksum") for p in lock.get("package", [])}
    components = bom.setdefault("components", [])
    for name, version in wasm_crates(manifest):
        purl = f"pkg:cargo/{name}@{version}"
        component = {
            "type": "library",
            "bom-ref": purl,
            "name": name,
            "version": version,
            "purl": purl,
            "properties": [{"name": "owly:linked-into", "value": "owly_core.wasm"}],
        }
        checksum = checksums.get((name, version))
        if checksum:
            component["hashes"] = [{"alg": "SHA-256", "content": checksum}]
        components.append(component)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(bom, indent=2) + "\n", encoding="utf-8")
    print(f"sbom-merge: {len(components)} components -> {out}")


if __name__ == "__main__":
    main()
