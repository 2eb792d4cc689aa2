// A manifest the host must refuse, with the bad fields named.
import { output } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 {
  return output('{"name":"Bad Name!","version":"one","routes":[{"method":"FETCH","path":"no-slash"}]}');
}
