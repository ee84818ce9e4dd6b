// The one HTTP helper of the pages: adds the bearer token, turns every failure into an ApiError with a
// code, and drops answers that arrive after the token changed (signed out, or signed in as someone else).

export class ApiError extends Error {
  /** @param {string} code  "network", "stale", the server's error code, or "HTTP <status>"  @param {number} status */
  constructor(code, status = 0) {
    super(code);
    this.code = code;
    this.status = status;
  }
}

/**
 * @param {object} o
 * @param {string} [o.base]            prefix of every path (the LiveDesk server for a page on another origin)
 * @param {() => string|null} [o.token]  the current bearer token, read at the start and the end of each call
 * @param {typeof fetch} [o.fetch]
 */
export function createApi({ base = "", token = () => null, fetch: fetchImpl = (...a) => globalThis.fetch(...a) } = {}) {
  /**
   * @param {string} path
   * @param {{method?:string, body?:any, headers?:object, auth?:boolean, as?:"json"|"blob", credentials?:string}} [opts]
   */
  async function send(path, { method = "GET", body, headers = {}, auth = true, as = "json", credentials } = {}) {
    const bearer = auth ? token() : null;
    const h = { ...headers };
    if (bearer) h.Authorization = "Bearer " + bearer;
    if (body !== undefined) h["Content-Type"] = "application/json";
    const init = { method, headers: h };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (credentials) init.credentials = credentials;
    let res;
    try { res = await fetchImpl(base + path, init); } catch { throw new ApiError("network"); }
    let value;
    if (!res.ok) {
      const j = await res.json().catch(() => null);
      checkToken(bearer, res.status);
      throw new ApiError((j && typeof j.code === "string" && j.code) || "HTTP " + res.status, res.status);
    }
    try { value = as === "blob" ? await res.blob() : await res.json(); } catch { throw new ApiError("bad_response", res.status); }
    checkToken(bearer, res.status);
    return value;
  }

  function checkToken(bearer, status) {
    if (bearer && bearer !== token()) throw new ApiError("stale", status);
  }

  return {
    get: (path, opts) => send(path, opts),
    post: (path, body, opts) => send(path, { ...opts, method: "POST", body }),
    blob: (path, opts) => send(path, { ...opts, as: "blob" })
  };
}
