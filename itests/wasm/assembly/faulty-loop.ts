// Never answers: the health ping and /spin loop forever (the runtime's call timeout must stop them).
import { output } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 {
  return output('{"name":"faulty-loop","version":"1.0.0","description":"loops forever",'
    + '"routes":[{"method":"GET","path":"/spin","handler":"spin","middleware":["admin"]}]}');
}
let counter: i64 = 0;
function forever(): i32 {
  while (true) { counter++; }
  return 0;
}
export function __health_ping__(): i32 { return forever(); }
export function spin(): i32 { return forever(); }
