// GoatFlow Statistics: ticket numbers for agents, filtered to the queues they may read. Reads tickets only
// through db_query; the host passes the caller's readable groups as _accessible_group_ids.
import { JSON } from "assemblyscript-json/assembly";
import { hostCall, lastError, input, output, fail, quote, log, toJson } from "../../../../plugin-api/src/main/assemblyscript/goatflow";

export function abort(message: string | null, file: string | null, line: u32, column: u32): void {
  // AssemblyScript's default abort imports env.abort, which Extism does not provide; trap instead
  unreachable();
}

const MANIFEST = `{
  "name": "stats",
  "version": "1.2.0",
  "description": "Ticket statistics by status, queue and priority, with recent activity and dashboard widgets",
  "author": "GoatFlow",
  "licence": "Apache-2.0",
  "homepage": "https://goatflow.io",
  "min_host_version": "0.1.0",
  "routes": [
    {"method": "GET", "path": "/overview", "handler": "overview", "middleware": ["agent"], "description": "Totals by state type"},
    {"method": "GET", "path": "/by-status", "handler": "by_status", "middleware": ["agent"], "description": "Tickets per state"},
    {"method": "GET", "path": "/by-queue", "handler": "by_queue", "middleware": ["agent"], "description": "Tickets per queue"},
    {"method": "GET", "path": "/by-priority", "handler": "by_priority", "middleware": ["agent"], "description": "Tickets per priority"},
    {"method": "GET", "path": "/recent-activity", "handler": "recent_activity", "middleware": ["agent"], "description": "Tickets changed most recently"}
  ],
  "menu_items": [
    {"id": "statistics", "label": "stats.menu", "icon": "chart-bar", "path": "/api/plugins/stats/overview", "location": "agent", "order": 20}
  ],
  "widgets": [
    {"id": "stats_overview", "title": "stats.widget.overview", "handler": "overview", "location": "dashboard", "size": "medium", "order": 1, "refreshable": true, "refresh_sec": 300},
    {"id": "stats_by_status", "title": "stats.widget.by_status", "handler": "by_status", "location": "dashboard", "size": "small", "order": 2, "refreshable": true, "refresh_sec": 300}
  ],
  "i18n": {
    "namespace": "stats",
    "languages": ["en", "de"],
    "translations": {
      "en": {"menu": "Statistics", "widget.overview": "Ticket overview", "widget.by_status": "Tickets by status"},
      "de": {"menu": "Statistik", "widget.overview": "Ticket-Übersicht", "widget.by_status": "Tickets nach Status"}
    }
  },
  "error_codes": [
    {"code": "invalid_range", "message": "range must be 7d, 30d, 90d, 365d or all", "http_status": 400},
    {"code": "query_failed", "message": "The statistics could not be read", "http_status": 502}
  ],
  "resources": {
    "memory_mb": 16,
    "call_timeout": "10s",
    "permissions": [
      {"type": "db", "access": "read", "scope": ["ticket", "queue", "ticket_state", "ticket_state_type", "ticket_priority"]}
    ]
  }
}`;

export function gk_register(): i32 {
  return output(MANIFEST);
}

export function __health_ping__(): i32 {
  return output('{"status":"ok","plugin":"stats"}');
}

/** Days of a range, -1 for all, 0 for a range that is not allowed. */
function rangeDays(range: string): i32 {
  if (range == "7d") return 7;
  if (range == "30d") return 30;
  if (range == "90d") return 90;
  if (range == "365d") return 365;
  if (range == "all") return -1;
  return 0;
}

class Request {
  range: string = "30d";
  days: i32 = 30;
  groups: Array<i64> = new Array<i64>();
  limit: i32 = 10;
}

function request(): Request {
  const args = input();
  const r = new Request();
  const query = args.getObj("_query");
  if (query != null) {
    const range = query.getString("range");
    if (range != null) r.range = range.valueOf();
    const limit = query.getString("limit");
    if (limit != null) r.limit = I32.parseInt(limit.valueOf());
  }
  r.days = rangeDays(r.range);
  const groups = args.getArr("_accessible_group_ids");
  if (groups != null) {
    const values = groups.valueOf();
    for (let i = 0; i < values.length; i++) {
      if (values[i].isInteger) r.groups.push((<JSON.Integer>values[i]).valueOf());
    }
  }
  return r;
}

/** The start of the range as a SQL timestamp literal ("YYYY-MM-DD HH:MM:SS"). */
function since(days: i32): string {
  const now = hostCall("time_now", "{}");
  let ms: i64 = 0;
  if (now != null && now.isObj) {
    const text = (<JSON.Obj>now).getString("now");
    if (text != null) {
      let iso = text.valueOf();
      // Date.fromString wants milliseconds at most
      const dot = iso.indexOf(".");
      if (dot > 0) iso = iso.substring(0, dot) + "Z";
      ms = Date.fromString(iso).getTime();
    }
  }
  const start = new Date(ms - <i64>days * 86400000);
  return start.toISOString().substring(0, 19).replace("T", " ");
}

/** WHERE conditions and parameters every query shares: the caller's queues, and the range. */
class Filter {
  sql: string = "";
  params: Array<string> = new Array<string>();
}

function filter(r: Request, timeColumn: string): Filter {
  const f = new Filter();
  let marks = "";
  for (let i = 0; i < r.groups.length; i++) {
    marks += (i > 0 ? ", " : "") + "?";
    f.params.push(r.groups[i].toString());
  }
  f.sql = "t.queue_id IN (SELECT q2.id FROM queue q2 WHERE q2.group_id IN (" + marks + "))";
  if (r.days > 0) {
    f.sql += " AND t." + timeColumn + " >= CAST(? AS TIMESTAMP)";
    f.params.push(quote(since(r.days)));
  }
  return f;
}

function query(sql: string, params: Array<string>): JSON.Arr | null {
  const result = hostCall("db_query", '{"query":' + quote(sql) + ',"args":[' + params.join(",") + "]}");
  if (result == null || !result.isArr) {
    const e = lastError;
    log("error", "query failed: " + (e == null ? "no rows" : e.code + " " + e.message));
    return null;
  }
  return <JSON.Arr>result;
}

function invalidRange(r: Request): i32 {
  return output('{"error":"range must be 7d, 30d, 90d, 365d or all","code":"invalid_range","status":400,"range":'
    + quote(r.range) + "}");
}

function grouped(select: string, from: string, groupBy: string, order: string): i32 {
  const r = request();
  if (r.days == 0) return invalidRange(r);
  if (r.groups.length == 0) return output('{"range":' + quote(r.range) + ',"items":[]}');
  const f = filter(r, "create_time");
  const rows = query("SELECT " + select + ", COUNT(*) AS tickets FROM ticket t " + from + " WHERE " + f.sql
    + " GROUP BY " + groupBy + " ORDER BY " + order, f.params);
  if (rows == null) return fail("query_failed", "The statistics could not be read");
  return output('{"range":' + quote(r.range) + ',"items":' + toJson(rows) + "}");
}

export function overview(): i32 {
  const r = request();
  if (r.days == 0) return invalidRange(r);
  if (r.groups.length == 0) {
    return output('{"range":' + quote(r.range) + ',"total":0,"new":0,"open":0,"pending":0,"closed":0}');
  }
  const f = filter(r, "create_time");
  const rows = query("SELECT COUNT(*) AS total,"
    + " COALESCE(SUM(CASE WHEN y.name = 'new' THEN 1 ELSE 0 END), 0) AS new_tickets,"
    + " COALESCE(SUM(CASE WHEN y.name = 'open' THEN 1 ELSE 0 END), 0) AS open_tickets,"
    + " COALESCE(SUM(CASE WHEN y.name LIKE 'pending%' THEN 1 ELSE 0 END), 0) AS pending_tickets,"
    + " COALESCE(SUM(CASE WHEN y.name = 'closed' THEN 1 ELSE 0 END), 0) AS closed_tickets"
    + " FROM ticket t JOIN ticket_state s ON s.id = t.ticket_state_id"
    + " JOIN ticket_state_type y ON y.id = s.type_id WHERE " + f.sql, f.params);
  if (rows == null || rows.valueOf().length == 0) return fail("query_failed", "The statistics could not be read");
  const row = <JSON.Obj>rows.valueOf()[0];
  return output('{"range":' + quote(r.range)
    + ',"total":' + number(row, "total")
    + ',"new":' + number(row, "new_tickets")
    + ',"open":' + number(row, "open_tickets")
    + ',"pending":' + number(row, "pending_tickets")
    + ',"closed":' + number(row, "closed_tickets") + "}");
}

function number(row: JSON.Obj, key: string): string {
  const v = row.get(key);
  return v == null ? "0" : toJson(v);
}

export function by_status(): i32 {
  return grouped("s.name AS state, y.name AS state_type",
    "JOIN ticket_state s ON s.id = t.ticket_state_id JOIN ticket_state_type y ON y.id = s.type_id",
    "s.name, y.name", "3 DESC, 1");
}

export function by_queue(): i32 {
  return grouped("q.id AS queue_id, q.name AS queue", "JOIN queue q ON q.id = t.queue_id", "q.id, q.name",
    "3 DESC, 2");
}

export function by_priority(): i32 {
  return grouped("p.id AS priority_id, p.name AS priority", "JOIN ticket_priority p ON p.id = t.ticket_priority_id",
    "p.id, p.name", "1");
}

export function recent_activity(): i32 {
  const r = request();
  if (r.days == 0) return invalidRange(r);
  if (r.limit < 1 || r.limit > 50) {
    return output('{"error":"limit must be between 1 and 50","code":"invalid_limit","status":400}');
  }
  if (r.groups.length == 0) return output('{"range":' + quote(r.range) + ',"items":[]}');
  const f = filter(r, "change_time");
  f.params.push(r.limit.toString());
  const rows = query("SELECT t.id AS ticket_id, t.tn, t.title, t.change_time AS changed_at, s.name AS state"
    + " FROM ticket t JOIN ticket_state s ON s.id = t.ticket_state_id WHERE " + f.sql
    + " ORDER BY t.change_time DESC, t.id DESC LIMIT ?", f.params);
  if (rows == null) return fail("query_failed", "The statistics could not be read");
  return output('{"range":' + quote(r.range) + ',"items":' + toJson(rows) + "}");
}
