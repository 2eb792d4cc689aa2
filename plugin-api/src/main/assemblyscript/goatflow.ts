// The GoatFlow host API for AssemblyScript plugins (part of the plugin SDK): one import, host_call(name, args),
// answered with {"result": ...} or {"error": {"code", "message"}}. Import it, or copy it into your plugin.
import { Memory, Host } from "@extism/as-pdk";
import { length, error_set } from "@extism/as-pdk/lib/env";
import { JSON } from "assemblyscript-json/assembly";

@external("extism:host/user", "host_call")
declare function host_call(name: u64, args: u64): u64;

export class HostError {
  constructor(public code: string, public message: string) {}
}

/** The last error of hostCall, or null when it succeeded. */
export let lastError: HostError | null = null;

/** Calls the host; the result as JSON, or null with lastError set. */
export function hostCall(name: string, args: string): JSON.Value | null {
  const n = Memory.allocateString(name);
  const a = Memory.allocateString(args);
  const offset = host_call(n.offset, a.offset);
  n.free();
  a.free();
  const answer = new Memory(offset, length(offset));
  const text = answer.toString();
  answer.free();
  const envelope = <JSON.Obj>JSON.parse(text);
  const error = envelope.getObj("error");
  if (error != null) {
    const code = error.getString("code");
    const message = error.getString("message");
    lastError = new HostError(code == null ? "error" : code.valueOf(), message == null ? "" : message.valueOf());
    return null;
  }
  lastError = null;
  return envelope.get("result");
}

export function log(level: string, message: string): void {
  hostCall("log", '{"level":' + quote(level) + ',"message":' + quote(message) + "}");
}

/** Reads the call's JSON arguments. */
export function input(): JSON.Obj {
  const text = Host.inputString();
  if (text.length == 0) {
    return new JSON.Obj();
  }
  const value = JSON.parse(text);
  return value.isObj ? <JSON.Obj>value : new JSON.Obj();
}

/** Sets the call's JSON result; return 0 from the export. */
export function output(json: string): i32 {
  // not Host.outputString: as-pdk 1.0.0 sets the output length in UTF-16 units, cutting off non-ASCII text
  Host.output(Uint8Array.wrap(String.UTF8.encode(json)));
  return 0;
}

/** Fails the call with a code and message; return the 1 this gives from the export. */
export function fail(code: string, message: string): i32 {
  const m = Memory.allocateString('{"code":' + quote(code) + ',"message":' + quote(message) + "}");
  error_set(m.offset);
  return 1;
}

/** A JSON string literal. */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22) out += '\\"';
    else if (c == 0x5c) out += "\\\\";
    else if (c < 0x20) out += "\\u00" + (c < 0x10 ? "0" : "") + c.toString(16);
    else out += String.fromCharCode(c);
  }
  return out + '"';
}

/**
 * A JSON value as text. Use this instead of assemblyscript-json's stringify(), which writes control characters
 * (a line break inside a string, say) as a backslash followed by the raw character: invalid JSON.
 */
export function toJson(value: JSON.Value): string {
  if (value.isString) return quote((<JSON.Str>value).valueOf());
  if (value.isArr) {
    const items = (<JSON.Arr>value).valueOf();
    let out = "[";
    for (let i = 0; i < items.length; i++) out += (i > 0 ? "," : "") + toJson(items[i]);
    return out + "]";
  }
  if (value.isObj) {
    const obj = <JSON.Obj>value;
    const keys = obj.keys;
    let out = "{";
    for (let i = 0; i < keys.length; i++) {
      const v = obj.get(keys[i]);
      out += (i > 0 ? "," : "") + quote(keys[i]) + ":" + (v == null ? "null" : toJson(v));
    }
    return out + "}";
  }
  return value.stringify();
}
