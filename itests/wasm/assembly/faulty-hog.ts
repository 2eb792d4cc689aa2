// Allocates until the memory limit stops it.
import { output } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 {
  return output('{"name":"faulty-hog","version":"1.0.0","description":"allocates without end",'
    + '"routes":[{"method":"GET","path":"/grow","handler":"grow","middleware":["admin"]},'
    + '{"method":"GET","path":"/small","handler":"small","middleware":["admin"]}]}');
}
const kept = new Array<Uint8Array>();
export function grow(): i32 {
  while (true) { kept.push(new Uint8Array(1 << 20)); }
  return 0;
}
export function small(): i32 { return output('{"ok":true}'); }
export function __health_ping__(): i32 { return output('{"status":"ok"}'); }
