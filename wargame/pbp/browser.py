"""A verifier in the browser: one self-contained HTML file holding the export and a script
that checks it with WebCrypto (SHA-256 and HMAC), with no network and no server.

It checks what needs no rules engine: the hash chain, the round seeds against the anchor,
every order and nonce against its commitment, each reveal against the locked sheet, each
sheet hash against its commitments, orders and rulings, every die re-derived from the round
key and the roll's label, and the chain heads a player pastes in. (Carrying the orders out
again needs the rules engine: the command `wargame game verify` does that too.) The dice of
each table, as the export states them, are embedded beside the events.
"""

from __future__ import annotations

import json

from wargame.engine.dice import parse_dice

_SCRIPT = r"""
"use strict";
const PROTOCOL = "wargame-pbp/3";
const enc = new TextEncoder();
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s) => {
  if (typeof s !== "string" || !/^([0-9a-fA-F]{2})*$/.test(s)) throw new Failure("expected hexadecimal digits, found " + JSON.stringify(String(s)).slice(0, 40));
  return new Uint8Array((s.match(/../g) || []).map((x) => parseInt(x, 16)));
};
function canon(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
  if (typeof v === "object") {
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}
function fieldBytes(f) {
  if (f instanceof Uint8Array) return f;
  if (typeof f === "string") return enc.encode(f);
  if (typeof f === "number" && Number.isInteger(f)) return enc.encode(String(f));
  return enc.encode(canon(f));
}
async function digest(tag, ...fields) {
  const parts = [tag, ...fields].map(fieldBytes);
  const size = parts.reduce((n, p) => n + 8 + p.length, 0);
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    const view = new DataView(all.buffer, at, 8);
    view.setUint32(0, Math.floor(p.length / 2 ** 32));
    view.setUint32(4, p.length >>> 0);
    all.set(p, at + 8);
    at += 8 + p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
}
async function hmac(key, message) {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, typeof message === "string" ? enc.encode(message) : message));
}
class Faces {
  constructor(key, label) { this.key = key; this.label = label; this.counter = 0; this.buffer = new Uint8Array(0); }
  async take(n) {
    while (this.buffer.length < n) {
      const more = await hmac(this.key, this.label + ":" + this.counter++);
      const joined = new Uint8Array(this.buffer.length + more.length);
      joined.set(this.buffer); joined.set(more, this.buffer.length);
      this.buffer = joined;
    }
    const taken = this.buffer.slice(0, n);
    this.buffer = this.buffer.slice(n);
    return taken;
  }
  async face(sides) {
    const width = sides <= 256 ? 1 : 2;
    const space = 256 ** width;
    const limit = space - (space % sides);
    for (;;) {
      const bytes = await this.take(width);
      const value = width === 1 ? bytes[0] : bytes[0] * 256 + bytes[1];
      if (value < limit) return (value % sides) + 1;
    }
  }
}
class Failure extends Error {}
const PLAY = __PLAY_KINDS__;
// the control characters no command records (tab and newline aside): as wargame/text.py
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
function controlIn(value) {
  const stack = [value];
  while (stack.length) {
    const item = stack.pop();
    if (typeof item === "string") {
      const m = CONTROL.exec(item);
      if (m) return "U+" + m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    } else if (Array.isArray(item)) stack.push(...item);
    else if (item && typeof item === "object") { stack.push(...Object.keys(item), ...Object.values(item)); }
  }
  return null;
}
// a roll read again from its table: as wargame/pbp/lookup.py, on the same facts
function totalOf(dice, faces) {
  if (faces.length !== dice.terms.length) throw new Failure("the faces do not match the dice");
  let total = dice.constant;
  dice.terms.forEach((term, i) => {
    const drawn = faces[i];
    let value = 0;
    if (term.sides === 66) { for (let k = 0; k + 1 < drawn.length; k += 2) value += 10 * drawn[k] + drawn[k + 1]; }
    else {
      const kept = [...drawn].sort((a, b) => term.high ? b - a : a - b);
      (term.keep === null ? kept : kept.slice(0, term.keep)).forEach((v) => { value += v; });
    }
    total += term.sign * value;
  });
  return total;
}
function cellOf(facts, column, modified) {
  const index = facts.columns.indexOf(column);
  if (index < 0) return [null, ""];
  const rows = facts.rows;
  for (let n = 0; n < rows.length; n++) {
    const [low, high, label] = rows[n];
    if ((low === null || low <= modified) && (high === null || modified <= high)) return [facts.cells[n][index], label];
  }
  const below = rows[0][0] !== null && modified < rows[0][0];
  const policy = below ? facts.roll_below : facts.roll_above;
  if (policy === "clamp") { const n = below ? 0 : rows.length - 1; return [facts.cells[n][index], rows[n][2]]; }
  return [policy, "off the table"];
}
function lookupProblem(facts, b) {
  if (b.faces.length === 0) {
    return facts.automatic.includes(b.result) ? null : 'a roll without dice whose result "' + b.result + "\" is none of the table's automatic results";
  }
  const total = totalOf(facts.dice, b.faces);
  if (total !== b.total) return "the dice total " + total + ", not " + b.total;
  let code, row;
  const natural = Object.prototype.hasOwnProperty.call(facts.natural, String(total)) ? facts.natural[String(total)] : null;
  if (natural !== null) { code = natural; row = "natural " + total; }
  else {
    const modified = total + (b.drm === undefined ? 0 : b.drm);
    if (modified !== b.modified) return total + " with its modifier is " + modified + ", not " + b.modified;
    [code, row] = cellOf(facts, b.column, modified);
    if (code === null) return 'the table has no column "' + b.column + '"';
  }
  const allowed = [code, code + "!", facts.blocked[code]].filter((c) => typeof c === "string");
  if (!allowed.includes(b.result) || b.row !== row) return "row " + b.row + " and result " + b.result + " where the table gives row " + row + " and " + code;
  return null;
}
function planShaped(plan) {
  const strings = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  return isObject(plan) && Object.keys(plan).sort().join(",") === "battles,refused" && isObject(plan.refused) &&
    Object.values(plan.refused).every((v) => Number.isInteger(v)) && Array.isArray(plan.battles) &&
    plan.battles.every((b) => isObject(b) && typeof b.label === "string" &&
      (b.side === undefined || typeof b.side === "string") &&
      (b.attackers === undefined || strings(b.attackers)) && (b.defenders === undefined || strings(b.defenders)));
}
function shown(text) {
  return String(text).replace(new RegExp(CONTROL.source, "g"), (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
  });
}
async function verify(doc, heads) {
  const events = doc.events;
  if (!Array.isArray(events) || events.length === 0) throw new Failure("the record is empty");
  let prev = "0".repeat(64), start = null, lastSeed = null;
  let turn = 1, round = 0, key = null, over = false, fog = false, owed = new Set();
  const ownerOf = {};
  const rounds = {};
  const roundOf = (t, r) => {
    const k = t + "/" + r;
    return (rounds[k] = rounds[k] || { commitments: {}, orders: {}, defaults: {}, nonces: {}, rulings: [], sheet: null });
  };
  let rolls = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const fail = (why) => { throw new Failure("event " + e.seq + ": " + why); };
    try {
    if (e.seq !== i + 1) fail("out of sequence (an event was removed or inserted)");
    if (e.prev !== prev) fail("does not link to the event before it");
    const b = e.body;
    const hidden = b && typeof b === "object" && typeof b.redacted === "string" &&
      Object.keys(b).every((k) => k === "redacted" || k === "side") ? b.redacted : null;
    const bodyDigest = hex(await digest("body", enc.encode(canon(b))));
    const content = hidden || bodyDigest;
    const h = hex(await digest("event", PROTOCOL, e.prev, e.seq, e.kind, e.turn, e.at, content));
    if (h !== e.hash) fail("its content does not match its hash (the event was edited)");
    const control = controlIn(b);
    if (control) fail("a text of the " + e.kind + " event holds the control character " + control + ", which no command records");
    if (i > 0 && over) fail("an event after the game was over");
    const protocol = ["commitment", "orders", "default", "ruling", "sheet-locked", "nonce", "seed", "forfeit"].includes(e.kind);
    const current = roundOf(turn, round);
    // as the command line: besides orders, only what a side may not see of a round whose
    // orders it cannot read (after the seed, before the round ends) may be left out
    if (hidden !== null && e.kind !== "orders" && !(i > 0 && !protocol && key && (current.hidden || fog) && doc.side && PLAY.includes(e.kind)))
      fail("the content of a " + e.kind + " event was left out; only orders, and what a side may not see of a round with hidden orders, may be");
    if (i > 0 && protocol && hidden === null && (e.turn !== turn || b.round !== round)) fail("recorded for another round than the one in play");
    const t = roundOf(turn, round);
    const phase = t.sheet ? "locked" : "orders";
    if (i > 0 && protocol && hidden === null && b.side !== undefined && !start.sides.some((s) => s.id === b.side)) fail('no side "' + b.side + '" in this game');
    if (i === 0) {
      if (e.kind !== "game-start") fail("the record does not begin with game-start");
      if (b.protocol !== PROTOCOL) fail("the record speaks protocol " + b.protocol + ", this page " + PROTOCOL);
      start = b; lastSeed = [0, unhex(b.anchor)];
      for (const piece of b.pieces || []) ownerOf[piece.unit] = piece.side;
    } else if (e.kind === "commitment") {
      if (t.sheet) fail("a commitment after the sheet was locked");
      if (b.side in t.commitments || b.side in t.defaults) fail(b.side + " committed twice in one round");
      t.commitments[b.side] = b;
    } else if (e.kind === "orders") {
      if (t.sheet) fail("orders revealed after the sheet was locked");
      if (hidden === null && b.side in t.orders) fail(b.side + "'s orders revealed after the lock, or twice");
      if (hidden !== null) {
        t.orders[b.side] = hidden;  // another side's orders: the digest stands for them
        t.hidden = true;
      } else {
        const c = t.commitments[b.side];
        const mine = hex(await digest("orders", PROTOCOL, start.game, e.turn, b.round, b.side, b.orders, unhex(b.salt)));
        if (!c || mine !== c.orders) fail(b.side + "'s orders do not match their commitment");
        t.orders[b.side] = bodyDigest;
      }
    } else if (e.kind === "default") {
      if (phase !== "orders" || b.side in t.defaults || b.side in t.orders) fail(b.side + " recorded as defaulted after the lock, twice, or after revealing its orders");
      t.defaults[b.side] = b.reason;
    } else if (e.kind === "ruling") {
      if (t.sheet) fail("a ruling added after the sheet was locked");
      if (!["correct", "override"].includes(b.kind) || !b.reason) fail("a ruling must be a correction or an override, with its reason");
      if (b.kind === "correct" && !(b.unit in ownerOf)) fail('a correction of "' + b.unit + '", which is not in this game');
      const copy = Object.assign({}, b);
      t.rulings.push(copy);
    } else if (e.kind === "sheet-locked") {
      if (phase !== "orders") fail("the sheet was locked twice");
      if (!planShaped(b.plan)) fail("the plan on the sheet is not a plan: refused orders counted by side, and rolls with a label (and a side, attackers and defenders)");
      const sorted = (o, f) => Object.keys(o).sort().reduce((a, k) => (a[k] = f(o[k]), a), {});
      const content = { commitments: sorted(t.commitments, (c) => [c.orders, c.nonce]),
        orders: sorted(t.orders, (d) => d), defaults: sorted(t.defaults, (d) => d), rulings: t.rulings };
      const mine = hex(await digest("sheet", PROTOCOL, start.game, turn, round, enc.encode(canon(content))));
      if (mine !== b.sheet_hash) fail("the sheet hash does not match the round's commitments, orders and rulings");
      const waiting = start.sides.map((s) => s.id).filter((s) => !(s in t.commitments) && !(s in t.defaults));
      const unrevealed = Object.keys(t.commitments).filter((s) => !(s in t.orders) && !(s in t.defaults));
      if (waiting.length || unrevealed.length) fail("the sheet was locked before " + waiting.concat(unrevealed).join(", ") + " committed and revealed, or was recorded as defaulted");
      t.sheet = b.sheet_hash;
      t.plan = b.plan;
    } else if (e.kind === "nonce") {
      const c = t.commitments[b.side];
      if (phase !== "locked" || !c || b.side in t.nonces) fail("a nonce revealed before the lock, twice, or never committed");
      if (b.sheet !== t.sheet) fail(b.side + "'s reveal names another sheet than the one locked");
      const mine = hex(await digest("nonce", PROTOCOL, start.game, e.turn, b.round, b.side, unhex(b.nonce)));
      if (!c || mine !== c.nonce) fail(b.side + "'s nonce does not match its commitment");
      if (b.sheet !== t.sheet) fail(b.side + "'s reveal names another sheet than the one locked");
      t.nonces[b.side] = b.nonce;
    } else if (e.kind === "forfeit") {
      // 15.4: a side that withholds its nonce from a locked sheet loses; nothing is rolled
      const missing = Object.keys(t.commitments).filter((s) => !(s in t.nonces)).sort();
      if (!t.sheet || key !== null || missing.length === 0) fail("a forfeit where no committed side has withheld its nonce from a locked sheet");
      const left = start.sides.map((s) => s.id).filter((s) => !missing.includes(s));
      const due = { round: round, sides: missing, winner: left.length === 1 ? left[0] : "",
        reason: missing.join(" and ") + " did not reveal the nonce for the locked sheet by the deadline (15.4)" };
      if (canon(b) !== canon(due)) fail("the forfeit is not what 15.4 gives: " + canon(due));
      over = true;
    } else if (e.kind === "seed") {
      if (!t.sheet) fail("the seed was revealed before the sheet was locked");
      const withheld = Object.keys(t.commitments).filter((s) => !(s in t.nonces)).sort();
      if (withheld.length) fail("the round was rolled without the nonce of " + withheld.join(", ") + "; 15.4 gives a forfeit, never a roll");
      const index = (turn - 1) * start.rounds + round + 1;
      if (b.index !== index) fail("the seed is not this round's seed of the chain");
      let walked = unhex(b.seed);
      for (let k = 0; k < index - lastSeed[0]; k++) walked = await digest("chain", walked);
      if (index <= lastSeed[0] || hex(walked) !== hex(lastSeed[1])) fail("the seed is not in the chain the anchor commits to");
      lastSeed = [index, unhex(b.seed)];
      const sides = Object.keys(t.commitments).sort();
      const noncePart = await digest("nonces", ...sides.flatMap((s) => [s, unhex(t.nonces[s] || "")]));
      const message = await digest("round-key", PROTOCOL, start.game, turn, round, t.sheet, noncePart);
      key = await hmac(unhex(b.seed), message);
      // a side's export: every battle the side fought must show its roll (as the command line)
      owed = new Set();
      if (doc.side && (fog || t.hidden) && t.plan && Array.isArray(t.plan.battles)) {
        for (const battle of t.plan.battles) {
          const units = [...(battle.attackers || []), ...(battle.defenders || [])];
          if (battle.side === doc.side || units.some((u) => ownerOf[u] === doc.side)) owed.add(battle.label);
        }
      }
    } else if (hidden !== null) {
      fog = true;  // another side's event in the fog of war: its digest links the chain
    } else if (e.kind === "roll") {
      rolls++;
      owed.delete(b.label);
      if (!key) fail("a roll before the round's seed");
      const facts = b.table !== undefined ? (doc.tables || {})[b.table] : null;
      if (b.table !== undefined && !facts) fail('roll "' + b.label + '" names no table of the game');
      if (!Array.isArray(b.faces)) fail('roll "' + b.label + '" has no faces');
      if (b.faces.length > 0 || !facts) {
        const terms = b.table ? (doc.dice || {})[b.table] : (doc.notations || {})[b.dice];
        if (!terms) fail("no dice known for roll " + b.label);
        const faces = new Faces(key, b.label);
        const mine = [];
        for (const [sides, count] of terms) {
          const term = [];
          for (let k = 0; k < count; k++) term.push(await faces.face(sides));
          mine.push(term);
        }
        if (JSON.stringify(mine) !== JSON.stringify(b.faces)) fail('roll "' + b.label + '": the dice are not those of the round key');
      }
      if (facts && b.column !== undefined) {
        const problem = lookupProblem(facts, b);
        if (problem) fail('roll "' + b.label + '" is not read from its table: ' + problem);
      }
    }
    if (["round-end", "turn-end", "game-over"].includes(e.kind) && hidden === null && owed.size) {
      fail("battle " + [...owed].sort()[0] + ", which " + doc.side + " fought, shows no roll in " + doc.side + "'s export");
    }
    if (hidden === null && ["round-end", "turn-end", "game-over"].includes(e.kind)) {
      // the end of a round: it ends the round in play (as the command line checks it)
      const good = e.kind === "round-end" ? canon(b) === canon({ next_round: round + 1, round: round, turn: turn })
        : e.kind === "turn-end" ? canon(b) === canon({ turn: turn })
        : typeof b.side === "string" && typeof b.level === "string" && typeof b.reason === "string" && b.turn === turn;
      if (!good || e.turn !== turn) fail("a " + e.kind + " that does not end round " + (round + 1) + " of turn " + turn);
    }
    if (e.kind === "round-end") {
      round = b.next_round; key = null;
    } else if (e.kind === "turn-end") {
      turn = b.turn + 1; round = 0; key = null;
    } else if (e.kind === "game-over") {
      over = true;
    }
    prev = e.hash;
    } catch (x) {
      if (x instanceof Failure && x.message.startsWith("event ")) throw x;
      // as the command line: whatever cannot be read in an event names that event
      throw new Failure("event " + e.seq + ": " + (x instanceof Failure ? x.message : "malformed " + e.kind + " event (" + x + ")"));
    }
  }
  const hashes = events.map((e) => e.hash);
  for (const head of heads) {
    const found = head.length >= 16 && hashes.filter((h) => h.startsWith(head.toLowerCase())).length === 1;
    if (!found) throw new Failure("head " + head + " is not in this record: it was cut short or forked after that post");
  }
  return "VERIFIED: " + events.length + " events, " + rolls + " rolls re-derived, head " + prev;
}
async function run() {
  const out = document.getElementById("result");
  const heads = document.getElementById("heads").value.split(/\s+/).filter(Boolean);
  try {
    const doc = JSON.parse(document.getElementById("export").textContent);
    out.textContent = shown(await verify(doc, heads));
  } catch (e) {
    out.textContent = "NOT VERIFIED: " + shown(e instanceof Failure ? e.message : "the file is damaged (" + e + ")");
  }
  out.dataset.done = "1";
}
document.getElementById("go").addEventListener("click", run);
const wanted = new URLSearchParams(location.hash.slice(1));
if (wanted.has("heads")) document.getElementById("heads").value = wanted.get("heads").replace(/,/g, " ");
run();
"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>{title}: verify the game record</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto}}pre{{white-space:pre-wrap;
background:#f3f0e6;padding:1em}}textarea{{width:100%}}</style></head><body>
<h1>{title}</h1>
<p>This page checks the game record it carries, in your browser, with nothing sent
anywhere: the hash chain, the round seeds against the anchor, every commitment, the sheet
hashes and every die. Whether the orders were carried out by the rules is checked by the
command line (<code>wargame game verify</code>). Paste the chain heads you saw in the umpire's posts to check that
the record was not cut short or forked after them.</p>
<p><label>Chain heads from posts (one per line):<br><textarea id="heads" rows="3"></textarea>
</label><br><button id="go">Verify</button></p>
<pre id="result">verifying...</pre>
<script type="application/json" id="export">{export}</script>
<script>{script}</script>
</body></html>
"""


def dice_of_tables(rules) -> dict[str, list[list[int]]]:
    """Each table's dice as [sides, count] terms, in the order faces are drawn (d66: 2d6)."""
    out = {}
    for table in rules.tables.values():
        dice = parse_dice(table.spec.dice)
        out[table.id] = [[6, 2] if term.sides == 66 else [term.sides, term.count]
                         for term in dice.terms]
    return out


def dice_of_notations(document: dict) -> dict[str, list[list[int]]]:
    """The dice of every roll that names its dice rather than a table (arrival rolls)."""
    out = {}
    for event in document["events"]:
        notation = event["body"].get("dice") if event["kind"] == "roll" else None
        if isinstance(notation, str) and notation not in out:
            dice = parse_dice(notation)
            out[notation] = [[6, 2] if term.sides == 66 else [term.sides, term.count]
                             for term in dice.terms]
    return out


def verifier_page(document: dict, rules, title: str) -> str:
    """The HTML page: the export and the dice of its tables, and the script."""
    from xml.sax.saxutils import escape

    from wargame.pbp.lookup import table_facts

    payload = json.dumps({**document, "dice": dice_of_tables(rules),
                          "notations": dice_of_notations(document),
                          "tables": {t: table_facts(table) for t, table in rules.tables.items()}},
                         ensure_ascii=False)
    # the JSON sits in a script element: with every "<" escaped (JSON reads \u003c back
    # as "<"), nothing in it can end the element or open a comment
    payload = payload.replace("<", "\\u003c")
    from wargame.pbp.fog import REDACTABLE

    script = _SCRIPT.replace("__PLAY_KINDS__", json.dumps(list(REDACTABLE)))
    return _PAGE.format(title=escape(title), export=payload, script=script)
