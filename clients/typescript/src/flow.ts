// The example flow of a web or mobile client, against a running service:
// sign up, log in, me, a community, upload a CSV, list, download and compare
// the bytes, refresh, log out.
//
//   CIVICTRUST_URL=http://127.0.0.1:8000 node dist/flow.js
//
// It uses the generated types as they are: no `!`, no `??` defaults for what
// the server always sends, no casts (scripts/check-style.mjs keeps it so).
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type ErrorCode = components["schemas"]["ErrorCode"];

const baseUrl = process.env["CIVICTRUST_URL"];
if (!baseUrl) {
  throw new Error("set CIVICTRUST_URL to the service, e.g. http://127.0.0.1:8000");
}
const api = createClient<paths>({ baseUrl });

function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`check failed: ${what}`);
  }
}

// answer returns the body of a successful answer and throws on any other,
// naming the error's code.
function answer<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || r.data === undefined) {
    throw new Error(`${what}: ${r.response.status} ${JSON.stringify(r.error)}`);
  }
  return r.data;
}

function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

const step = (name: string): void => console.log(`✓ ${name}`);

const email = `ts-client-${Date.now()}@example.org`;
const password = "Client-Passw0rd";

// Sign up.
const user = answer("signup", await api.POST("/api/v1/auth/signup", {
  body: { name: "Tess Client", email, password, role: "member" },
}));
const verified: boolean = user.auth.email_verified;
check(user.email === email && !verified && user.roles.length === 1, "signup answers the new user");
step(`signed up ${user.id}`);

// Log in.
const login = answer("login", await api.POST("/api/v1/auth/login", { body: { email, password } }));
const expiresIn: number = login.expires_in;
check(login.token_type === "bearer" && expiresIn > 0 && login.user.id === user.id, "login answers tokens for the user");
const lastLogin: string | null = login.user.auth.last_login;
let access = login.access_token;
let refresh = login.refresh_token;
step(`logged in (access token for ${expiresIn} s, last login ${lastLogin})`);

// Who am I.
const me = answer("me", await api.GET("/api/v1/auth/me", { headers: bearer(access) }));
const failures: number = me.auth.failed_login_attempts;
check(me.id === user.id && failures === 0 && me.roles.some((r) => r.name === "member"), "me is the member");
step(`me: ${me.name}, roles ${me.roles.map((r) => r.name).join(", ")}`);

// A community of one's own.
const community = answer("create community", await api.POST("/api/v1/communities/", {
  headers: bearer(access),
  body: { name: `Client Community ${Date.now()}`, description: "Made by the TypeScript example" },
}));
const members: number = community.member_count;
check(members === 1 && community.created_by === user.id, "the creator is the only member");
step(`community ${community.id}`);

// Upload a CSV into it.
const csv = "station,count\nNorth,12\nSüd,7\n";
const bytes = new TextEncoder().encode(csv);
const created = answer("upload", await api.POST("/api/v1/datasets/create", {
  headers: bearer(access),
  body: { file: new Blob([bytes], { type: "text/csv" }), title: "Traffic counts", community_id: community.id, tags: "traffic" },
  bodySerializer(body) {
    const form = new FormData();
    for (const [key, value] of Object.entries(body)) {
      if (value instanceof Blob) {
        form.append(key, value, "counts.csv");
      } else if (value !== undefined) {
        form.append(key, String(value));
      }
    }
    return form;
  },
}));
const size: number = created.file.size;
const visibility: "public" | "community" | "restricted" | "private" = created.visibility;
check(size === bytes.length && created.file.content_type === "text/csv; charset=utf-8" && created.version === 1, "the upload is the CSV");
check(visibility === "community" && created.community_id === community.id, "the dataset belongs to the community");
step(`uploaded ${created.file.filename} (${size} bytes, ${created.file.content_type}, sha256 ${created.file.sha256.slice(0, 12)}…)`);

// List the community's datasets.
const page = answer("list datasets", await api.GET("/api/v1/datasets/", {
  headers: bearer(access),
  params: { query: { community_id: community.id } },
}));
const total: number = page.pagination.total;
check(total === 1 && page.data.some((d) => d.id === created.id), "the list has the dataset");
step(`listed ${total} dataset(s)`);

// Download it and compare the bytes.
const download = await api.GET("/api/v1/datasets/{dataset_id}/download", {
  headers: bearer(access),
  params: { path: { dataset_id: created.id } },
  parseAs: "arrayBuffer",
});
const body = new Uint8Array(answer("download", download));
check(body.length === bytes.length && body.every((b, i) => b === bytes[i]), "the download is byte for byte the upload");
check(download.response.headers.get("Content-Type") === "text/csv; charset=utf-8", "the download is served as text/csv");
step(`downloaded ${body.length} identical bytes`);

// Refresh: a new pair, and the new access token works.
const pair = answer("refresh", await api.POST("/api/v1/auth/refresh", { body: { refresh_token: refresh } }));
check(pair.refresh_token !== refresh && pair.expires_in === expiresIn, "refresh rotates the refresh token");
access = pair.access_token;
refresh = pair.refresh_token;
answer("me after refresh", await api.GET("/api/v1/auth/me", { headers: bearer(access) }));
step("refreshed");

// Log out: the access token stops working at once.
const logout = await api.POST("/api/v1/auth/logout", { headers: bearer(access) });
check(logout.response.status === 204, `logout answers 204, not ${logout.response.status}`);
const after = await api.GET("/api/v1/auth/me", { headers: bearer(access) });
// Every error but a 500 carries a code (the 500 says only "Internal Server Error").
const code: ErrorCode | undefined = after.error !== undefined && "code" in after.error ? after.error.code : undefined;
check(after.response.status === 401 && code === "invalid_token", `after logout me answers 401 invalid_token, not ${after.response.status} ${code}`);
step("logged out");
console.log("flow passed");
