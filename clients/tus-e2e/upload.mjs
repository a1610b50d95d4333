// Uploads FILE to the service at BASE_URL with tus-js-client, as a web or
// Node.js client would: the Bearer token in the headers, the dataset's
// metadata in Upload-Metadata, pieces of CHUNK_SIZE bytes, the first of them
// with the creation request. Prints {"upload_url", "dataset_id"} as JSON on
// success; exits 1 with the error otherwise.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import * as tus from "tus-js-client";

const { BASE_URL, TOKEN, FILE, TITLE = "", DATASET_ID = "", CHUNK_SIZE = "1048576" } = process.env;
if (!BASE_URL || !TOKEN || !FILE) {
  console.error("BASE_URL, TOKEN and FILE are required");
  process.exit(2);
}

const metadata = { filename: basename(FILE), filetype: "application/octet-stream" };
if (DATASET_ID) metadata.dataset_id = DATASET_ID;
if (TITLE) metadata.title = TITLE;

let datasetId = "";
const upload = new tus.Upload(readFileSync(FILE), {
  endpoint: `${BASE_URL}/api/v1/uploads/`,
  headers: { Authorization: `Bearer ${TOKEN}` },
  metadata,
  chunkSize: Number(CHUNK_SIZE),
  uploadDataDuringCreation: true,
  retryDelays: [0, 500, 1000],
  onAfterResponse(_req, res) {
    const id = res.getHeader("Dataset-Id");
    if (id) datasetId = id;
  },
  onError(err) {
    console.error(String(err));
    process.exit(1);
  },
  onSuccess() {
    console.log(JSON.stringify({ upload_url: upload.url, dataset_id: datasetId }));
  },
});
upload.start();
