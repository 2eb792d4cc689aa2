// Makes whatever host call it is asked to and returns the host's envelope unchanged: the tests use it to try the
// sandbox from inside a real WASM module.
import { JSON } from "assemblyscript-json/assembly";
import { input, output, hostCall, lastError, quote, toJson } from "../../../plugin-api/src/main/assemblyscript/goatflow";
export function abort(m: string | null, f: string | null, l: u32, c: u32): void { unreachable(); }
export function gk_register(): i32 {
  return output('{"name":"probe","version":"1.0.0","description":"sandbox probe",'
    + '"routes":[{"method":"POST","path":"/try","handler":"try_call","middleware":["admin"]},'
    + '{"method":"GET","path":"/ping","handler":"ping","middleware":["auth"]}],'
    + '"resources":{"permissions":['
    + '{"type":"db","access":"read","scope":["ticket","queue","hello_*"]},'
    + '{"type":"db","access":"readwrite","scope":["probe_*"]},'
    + '{"type":"cache","access":"readwrite"},'
    + '{"type":"email","scope":["example.test"]},'
    + '{"type":"http","scope":["127.0.0.1"]}]}}');
}
export function ping(): i32 { return output('{"pong":true}'); }
export function try_call(): i32 {
  const args = input();
  const body = args.getObj("_body");
  if (body == null) return output('{"error":"body required","code":"bad_request","status":400}');
  const call = body.getString("call");
  const callArgs = body.getObj("args");
  const result = hostCall(call == null ? "" : call.valueOf(), callArgs == null ? "{}" : toJson(callArgs));
  // the organisation the host stamped into the call's arguments (absent when the manifest opts out)
  const org = args.getInteger("_org_id");
  const orgJson = org == null ? "null" : org.valueOf().toString();
  const e = lastError;
  if (e != null) {
    return output('{"denied":true,"org":' + orgJson + ',"code":' + quote(e.code) + ',"message":' + quote(e.message)
      + "}");
  }
  return output('{"denied":false,"org":' + orgJson + ',"result":' + (result == null ? "null" : toJson(result)) + "}");
}
export function __health_ping__(): i32 { return output('{"status":"ok","probe":true}'); }
