import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeFetch, STATIC } from "./fakes.js";

const { createApi, ApiError } = await import(`${STATIC}/client/api.js`);

test("adds the bearer token and returns the JSON body", async () => {
  const fetch = fakeFetch(() => ({ status: 200, body: { calls: [] } }));
  const api = createApi({ token: () => "abc", fetch });
  assert.deepEqual(await api.get("/api/calls"), { calls: [] });
  assert.equal(fetch.calls[0].url, "/api/calls");
  assert.equal(fetch.calls[0].init.headers.Authorization, "Bearer abc");
});

test("auth: false sends no token; a body is JSON; base prefixes the path", async () => {
  const fetch = fakeFetch(() => ({ status: 200, body: { token: "t" } }));
  const api = createApi({ base: "https://ld.example", token: () => "abc", fetch });
  await api.post("/api/dev/tokens", { role: "staff" }, { auth: false, headers: { "X-Admin-Key": "k" } });
  const { url, init } = fetch.calls[0];
  assert.equal(url, "https://ld.example/api/dev/tokens");
  assert.equal(init.method, "POST");
  assert.equal(init.headers.Authorization, undefined);
  assert.equal(init.headers["X-Admin-Key"], "k");
  assert.equal(init.headers["Content-Type"], "application/json");
  assert.equal(init.body, '{"role":"staff"}');
});

test("an error answer rejects with the server's code, else with the HTTP status", async () => {
  const coded = createApi({ fetch: fakeFetch(() => ({ status: 403, body: { code: "forbidden" } })) });
  await assert.rejects(coded.get("/x"), (e) => e instanceof ApiError && e.code === "forbidden" && e.status === 403);
  const bare = createApi({ fetch: fakeFetch(() => ({ status: 502 })) });
  await assert.rejects(bare.get("/x"), { code: "HTTP 502", status: 502 });
});

test("no answer at all rejects with network; an unreadable body with bad_response", async () => {
  const down = createApi({ fetch: async () => { throw new TypeError("Failed to fetch"); } });
  await assert.rejects(down.get("/x"), { code: "network" });
  const garbled = createApi({ fetch: fakeFetch(() => ({ status: 200 })) });
  await assert.rejects(garbled.get("/x"), { code: "bad_response" });
});

test("an answer that arrives after the token changed is stale", async () => {
  let token = "first";
  const api = createApi({ token: () => token, fetch: fakeFetch(() => { token = "second"; return { status: 200, body: {} }; }) });
  await assert.rejects(api.get("/api/calls"), { code: "stale" });
});

test("blob() returns the body as a blob", async () => {
  const api = createApi({ token: () => "t", fetch: fakeFetch(() => ({ status: 200, body: "text" })) });
  assert.deepEqual(await api.blob("/t"), { blob: "text" });
});
