// Fails every call, the health ping included (an error is still an answer: alive).
import { fail } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 {
  const m = '{"name":"faulty-thrower","version":"1.0.0","description":"fails every call",'
    + '"routes":[{"method":"GET","path":"/boom","handler":"boom","middleware":["agent"]},'
    + '{"method":"GET","path":"/trap","handler":"trap","middleware":["agent"]}]}';
  return output(m);
}
import { output } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function boom(): i32 { return fail("boom", "this plugin fails on purpose"); }
export function trap(): i32 { unreachable(); return 0; }
export function __health_ping__(): i32 { return fail("boom", "even the ping fails"); }
