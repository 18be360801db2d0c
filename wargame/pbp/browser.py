"""A verifier in the browser: one self-contained HTML file holding the export and a script
that checks it with WebCrypto (SHA-256 and HMAC), with no network and no server.

It checks what needs no rules engine: the hash chain, the turn seeds against the anchor,
every order and nonce against its commitment, each reveal against the locked sheet, each
sheet hash against its rulings, every die re-derived from the turn key and the combat's
label, and the chain heads a player pastes in. (Table lookups need the engine: the command
`wargame game verify` does those too.) The dice of each table, as the export states them,
are embedded beside the events.
"""

from __future__ import annotations

import json

from wargame.engine.dice import parse_dice

_SCRIPT = r"""
"use strict";
const PROTOCOL = "wargame-pbp/2";
const enc = new TextEncoder();
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s) => new Uint8Array((s.match(/../g) || []).map((x) => parseInt(x, 16)));
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
async function verify(doc, heads) {
  const events = doc.events;
  if (!Array.isArray(events) || events.length === 0) throw new Failure("the record is empty");
  let prev = "0".repeat(64), start = null, lastSeed = null;
  const turns = {};
  const turnOf = (t) => (turns[t] = turns[t] || { commitments: {}, nonces: {}, rulings: [], sheet: null, seed: null });
  let rolls = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const fail = (why) => { throw new Failure("event " + e.seq + ": " + why); };
    if (e.seq !== i + 1) fail("out of sequence (an event was removed or inserted)");
    if (e.prev !== prev) fail("does not link to the event before it");
    const b = e.body, t = turnOf(e.turn);
    const hidden = b && typeof b === "object" && "redacted" in b &&
      Object.keys(b).every((k) => k === "redacted" || k === "side") ? b.redacted : null;
    const content = hidden || hex(await digest("body", enc.encode(canon(b))));
    const h = hex(await digest("event", PROTOCOL, e.prev, e.seq, e.kind, e.turn, e.at, content));
    if (h !== e.hash) fail("its content does not match its hash (the event was edited)");
    if (hidden !== null && e.kind !== "orders") fail("the content of a " + e.kind + " event was left out; only orders may be");
    if (i === 0) {
      if (e.kind !== "game-start") fail("the record does not begin with game-start");
      start = b; lastSeed = [0, unhex(b.anchor)];
    } else if (e.kind === "commitment") {
      t.commitments[b.side] = b;
    } else if (e.kind === "orders" && hidden !== null) {
      // another side's orders, left out of this side's export: the digest stands for them
    } else if (e.kind === "orders") {
      const c = t.commitments[b.side];
      const mine = hex(await digest("orders", PROTOCOL, start.game, e.turn, b.side, b.orders, unhex(b.salt)));
      if (!c || mine !== c.orders) fail(b.side + "'s orders do not match their commitment");
    } else if (e.kind === "ruling") {
      t.rulings.push(b);
    } else if (e.kind === "sheet-locked") {
      const mine = hex(await digest("sheet", PROTOCOL, start.game, e.turn, enc.encode(canon(t.rulings))));
      if (mine !== b.sheet_hash) fail("the sheet hash does not match the rulings before it");
      t.sheet = b.sheet_hash;
    } else if (e.kind === "nonce") {
      const c = t.commitments[b.side];
      const mine = hex(await digest("nonce", PROTOCOL, start.game, e.turn, b.side, unhex(b.nonce)));
      if (!c || mine !== c.nonce) fail(b.side + "'s nonce does not match its commitment");
      if (b.sheet !== t.sheet) fail(b.side + "'s reveal names another sheet than the one locked");
      t.nonces[b.side] = b.nonce;
    } else if (e.kind === "turn-seed") {
      if (!t.sheet) fail("the turn seed was revealed before the sheet was locked");
      let walked = unhex(b.seed);
      for (let k = 0; k < e.turn - lastSeed[0]; k++) walked = await digest("chain", walked);
      if (hex(walked) !== hex(lastSeed[1])) fail("the turn seed is not in the chain the anchor commits to");
      lastSeed = [e.turn, unhex(b.seed)];
      t.seed = b.seed;
      const sides = Object.keys(t.commitments).sort();
      const noncePart = await digest("nonces", ...sides.flatMap((s) => [s, unhex(t.nonces[s] || "")]));
      const message = await digest("turn-key", PROTOCOL, start.game, e.turn, t.sheet, noncePart);
      t.key = await hmac(unhex(b.seed), message);
    } else if (e.kind === "roll") {
      rolls++;
      if (!t.key) fail("a roll before the turn seed");
      const stages = b.stages;
      for (const s of stages) {
        const label = stages.length === 1 ? b.label : b.label + "/" + s.stage;
        const faces = new Faces(t.key, label);
        const terms = (doc.dice || {})[s.table];
        if (!terms) fail("unknown table " + s.table);
        if (s.faces.length === 0) continue;  // an automatic result: no dice
        const mine = [];
        for (const [sides, count] of terms) {
          const term = [];
          for (let k = 0; k < count; k++) term.push(await faces.face(sides));
          mine.push(term);
        }
        if (JSON.stringify(mine) !== JSON.stringify(s.faces)) fail('roll "' + b.label + '": the dice are not those of the turn key');
      }
    }
    prev = e.hash;
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
    out.textContent = await verify(doc, heads);
  } catch (e) {
    out.textContent = "NOT VERIFIED: " + (e instanceof Failure ? e.message : "the file is damaged (" + e + ")");
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
anywhere: the hash chain, the turn seeds against the anchor, every commitment, the sheet
hashes and every die. Paste the chain heads you saw in the umpire's posts to check that
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


def verifier_page(document: dict, rules, title: str) -> str:
    """The HTML page: the export and the dice of its tables, and the script."""
    from xml.sax.saxutils import escape

    payload = json.dumps({**document, "dice": dice_of_tables(rules)}, ensure_ascii=False)
    # the JSON sits in a script element: with every "<" escaped (JSON reads \u003c back
    # as "<"), nothing in it can end the element or open a comment
    payload = payload.replace("<", "\\u003c")
    return _PAGE.format(title=escape(title), export=payload, script=_SCRIPT)
