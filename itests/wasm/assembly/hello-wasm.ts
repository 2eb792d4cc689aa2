// The example bundle plugin's greeting, as a WASM plugin: the same small function in both runtimes, for the
// bundle-versus-WASM benchmark (itests/bench/plugin-call.sh).
import { JSON } from "assemblyscript-json/assembly";
import { input, output, quote } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 {
  return output('{"name":"hello-wasm","version":"1.0.0","description":"greets callers (WASM twin of hello)",'
    + '"routes":[{"method":"GET","path":"/greeting","handler":"greet","middleware":["auth"]}]}');
}
export function greet(): i32 {
  const args = input();
  let name = "world";
  const query = args.getObj("_query");
  const login = args.getString("_user_login");
  if (login != null) name = login.valueOf();
  if (query != null) {
    const n = query.getString("name");
    if (n != null) name = n.valueOf();
  }
  if (name.length > 40) {
    return output('{"error":"Names are at most 40 characters","code":"bad_name","status":400}');
  }
  return output('{"greeting":' + quote("Hello, " + name + "!") + ',"caller":'
    + (login == null ? "null" : quote(login.valueOf())) + "}");
}
