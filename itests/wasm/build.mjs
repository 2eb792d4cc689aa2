// Builds every test plugin into target/wasm/<name>.wasm: the hand-written ones in assembly/, and small
// manifest-only plugins (dependency graphs) generated from one template.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, readdirSync } from "node:fs";

const out = "target/wasm";
const gen = "target/gen";
mkdirSync(out, { recursive: true });
mkdirSync(gen, { recursive: true });

// name -> requires
const graphs = {
  "dep-base": [],
  "dep-middle": [{ name: "dep-base", version: "^1.0.0" }],
  "dep-top": [{ name: "dep-middle", version: ">=1.0.0 <2.0.0" }, { name: "dep-base", version: "^1.0.0" }],
  "cyc-one": [{ name: "cyc-two", version: "^1.0.0" }],
  "cyc-two": [{ name: "cyc-three", version: "^1.0.0" }],
  "cyc-three": [{ name: "cyc-one", version: "^1.0.0" }],
  "needs-missing": [{ name: "not-installed", version: "^1.0.0" }],
  "needs-newer": [{ name: "dep-base", version: "^2.0.0" }],
};
for (const [name, requires] of Object.entries(graphs)) {
  const manifest = JSON.stringify({
    name, version: "1.0.0", description: "dependency test plugin", requires,
    routes: [{ method: "GET", path: "/who", handler: "who", middleware: ["auth"] }],
  });
  writeFileSync(`${gen}/${name}.ts`, `import { output } from "../../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 { return output(${JSON.stringify(manifest)}); }
export function who(): i32 { return output('{"plugin":"${name}"}'); }
`);
}

const sources = [
  ...readdirSync("assembly").filter((f) => f.endsWith(".ts")).map((f) => ["assembly/" + f, f.slice(0, -3)]),
  ...Object.keys(graphs).map((n) => [`${gen}/${n}.ts`, n]),
];
for (const [source, name] of sources) {
  const abortPath = source.slice(0, -3) + "/abort";
  execFileSync("npx", ["asc", source, "--path", "node_modules", "--outFile", `${out}/${name}.wasm`, "--optimize",
    "--runtime", "incremental", "--use", `abort=${abortPath}`], { stdio: "inherit" });
}
console.log(`built ${sources.length} test plugins into ${out}`);
