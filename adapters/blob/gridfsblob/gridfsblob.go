// Package gridfsblob keeps blobs in MongoDB, in the GridFS layout: a
// "blobs.files" document per blob and its contents in "blobs.chunks"
// documents of 255 KiB, so that the standard GridFS tools can read them.
//
// The package writes and reads that layout itself rather than through the
// driver's GridFSUploadStream and GridFSDownloadStream, because those hold
// one context deadline for the whole stream: on a client with an operation
// timeout (mongostore.Connect sets 4 s) an upload or download taking longer
// than that fails, which hundreds of MiB from a browser always do. Here every
// database round trip gets the client's timeout on its own; the caller's
// context can still cancel at any point. An upload holds 1 MiB in memory
// rather than the driver's 16 MiB, a download 1 MiB batches, and an Open at
// an offset reads only the chunks it needs.
//
// A blob is visible under its key only once all its chunks are stored: the
// files document is inserted last. A failed Put removes the chunks it wrote;
// a crash in the middle of one leaves chunks without a files document, which
// RemoveOrphans removes.
//
// On the embedded FerretDB (SQLite) every query but one by _id scans the
// whole chunks collection, and even that one is not served from an index:
// an Open or a Delete there costs a read of every stored blob. Fine for
// tests and small stores; keep large files on fsblob there.
package gridfsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.BlobStore = (*Store)(nil)

// Bucket is the GridFS bucket's name: the collections are Bucket+".files"
// and Bucket+".chunks".
const Bucket = "blobs"

const (
	filesCollection  = Bucket + ".files"
	chunksCollection = Bucket + ".chunks"
	// chunkSize is the size of every chunk but a blob's last (the GridFS default).
	chunkSize = 255 << 10
	// batchChunks is how many chunks one insert writes and one reply brings
	// (about 1 MiB): what an upload or a download holds in memory, and well
	// below the largest reply FerretDB sends.
	batchChunks = 4
	// closeTimeout bounds the killing of a download's server cursor.
	closeTimeout = 5 * time.Second
	// cleanupTimeout bounds the removal of a failed upload's chunks, which
	// runs even when the upload's context is cancelled.
	cleanupTimeout = 30 * time.Second
)

// Store is a BlobStore in a MongoDB database. Keys are ObjectIDs in hex (24
// lower-case hex digits). It is safe for concurrent use.
type Store struct {
	files  *mongo.Collection
	chunks *mongo.Collection
}

// New returns a store in db, creating the GridFS indexes when missing (the
// same ones the driver's GridFSBucket creates).
func New(ctx context.Context, db *mongo.Database) (*Store, error) {
	err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{
		{Collection: filesCollection, Keys: bson.D{{Key: "filename", Value: 1}, {Key: "uploadDate", Value: 1}}},
		{Collection: chunksCollection, Keys: bson.D{{Key: "files_id", Value: 1}, {Key: "n", Value: 1}}, Unique: true},
	})
	if err != nil {
		return nil, fmt.Errorf("gridfsblob: %w", err)
	}
	return &Store{files: db.Collection(filesCollection), chunks: db.Collection(chunksCollection)}, nil
}

// fileDoc is a document of the files collection (the GridFS fields, with the
// SHA-256 in metadata).
type fileDoc struct {
	ID         bson.ObjectID `bson:"_id"`
	Length     int64         `bson:"length"`
	ChunkSize  int32         `bson:"chunkSize"`
	UploadDate time.Time     `bson:"uploadDate"`
	Filename   string        `bson:"filename"`
	Metadata   fileMetadata  `bson:"metadata"`
}

// fileMetadata is what a files document holds besides the GridFS fields.
type fileMetadata struct {
	SHA256 string `bson:"sha256"`
}

// chunkDoc is a document of the chunks collection.
type chunkDoc struct {
	ID     bson.ObjectID `bson:"_id"`
	FileID bson.ObjectID `bson:"files_id"`
	N      int32         `bson:"n"`
	Data   []byte        `bson:"data"`
}

// byID is the filter matching one document by _id.
func byID(id bson.ObjectID) bson.D { return bson.D{{Key: "_id", Value: id}} }

// byFile is the filter matching the chunks of one blob.
func byFile(id bson.ObjectID) bson.D { return bson.D{{Key: "files_id", Value: id}} }

// Put streams r into chunks, batchChunks at a time, then inserts the files
// document that makes the blob visible.
func (s *Store) Put(ctx context.Context, r io.Reader, maxBytes int64) (info platformport.BlobInfo, err error) {
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}
	id := bson.NewObjectID()
	wroteFile := false
	defer func() {
		if err != nil {
			s.discard(ctx, id, wroteFile)
		}
	}()

	br := blobio.NewReader(ctx, r, maxBytes)
	buf := make([]byte, batchChunks*chunkSize)
	var n int32 // the next chunk's number
	for {
		k, rerr := io.ReadFull(br, buf)
		if berr := br.Err(); berr != nil {
			// Checked first: the source's own io.ErrUnexpectedEOF (a body
			// cut short) must not pass for ReadFull's short last batch.
			return platformport.BlobInfo{}, berr
		}
		end := errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF)
		if rerr != nil && !end {
			return platformport.BlobInfo{}, rerr
		}
		if k > 0 {
			if err := s.insertChunks(ctx, id, n, buf[:k]); err != nil {
				return platformport.BlobInfo{}, err
			}
			n += int32((k + chunkSize - 1) / chunkSize) // #nosec G115 -- at most batchChunks
		}
		if end {
			break
		}
	}
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}

	info = br.Info(id.Hex())
	wroteFile = true
	_, err = s.files.InsertOne(ctx, fileDoc{
		ID:         id,
		Length:     info.Size,
		ChunkSize:  chunkSize,
		UploadDate: time.Now().UTC().Truncate(time.Millisecond),
		Filename:   info.Key,
		Metadata:   fileMetadata{SHA256: info.SHA256},
	})
	if err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("gridfsblob: insert files document: %w", mongostore.Translate(err))
	}
	return info, nil
}

// insertChunks stores data as the chunks numbered from n on.
func (s *Store) insertChunks(ctx context.Context, id bson.ObjectID, n int32, data []byte) error {
	docs := make([]any, 0, batchChunks)
	for len(data) > 0 {
		k := min(len(data), chunkSize)
		docs = append(docs, chunkDoc{ID: bson.NewObjectID(), FileID: id, N: n, Data: data[:k]})
		data = data[k:]
		n++
	}
	// The documents are encoded before InsertMany returns, so the caller may
	// reuse data afterwards.
	if _, err := s.chunks.InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("gridfsblob: insert chunks: %w", mongostore.Translate(err))
	}
	return nil
}

// discard removes what a failed Put stored, on a context of its own since
// ctx may be why it failed. A failure here leaves orphaned chunks for
// RemoveOrphans.
func (s *Store) discard(ctx context.Context, id bson.ObjectID, wroteFile bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if wroteFile {
		// The insert may have succeeded with its reply lost.
		if _, err := s.files.DeleteOne(ctx, byID(id)); err != nil {
			return // keep the chunks of what may be a visible blob
		}
	}
	_, _ = s.chunks.DeleteMany(ctx, byFile(id))
}

// numChunks is the number of chunks of a blob of length bytes.
func numChunks(length, chunkSize int64) int64 { return (length + chunkSize - 1) / chunkSize }

// Open reads the blob's files document, then opens a cursor over the chunks
// that hold [offset, offset+length), fetched batchChunks at a time. The
// reader uses ctx for each fetch (each gets the client's operation timeout
// on its own): it fails once ctx is done. Close it to free the cursor.
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return nil, platformport.ErrBlobNotFound
	}
	var f fileDoc
	if err := s.files.FindOne(ctx, byID(id)).Decode(&f); err != nil {
		if errors.Is(err, mongo.ErrNoDocuments) {
			return nil, platformport.ErrBlobNotFound
		}
		return nil, fmt.Errorf("gridfsblob: find files document: %w", mongostore.Translate(err))
	}
	start, n, err := blobio.Range(f.Length, offset, length)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return blobio.Empty(), nil
	}
	if f.ChunkSize <= 0 {
		return nil, fmt.Errorf("gridfsblob: blob %s has chunk size %d", key, f.ChunkSize)
	}
	cs := int64(f.ChunkSize)
	first, last := start/cs, (start+n-1)/cs
	filter := bson.D{
		{Key: "files_id", Value: id},
		{Key: "n", Value: bson.D{{Key: "$gte", Value: first}, {Key: "$lte", Value: last}}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "n", Value: 1}}).SetBatchSize(batchChunks)
	cur, err := s.chunks.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("gridfsblob: read chunks: %w", mongostore.Translate(err))
	}
	return &reader{
		ctx:       ctx,
		cur:       cur,
		id:        id,
		length:    f.Length,
		chunkSize: cs,
		next:      first,
		skip:      start % cs,
		left:      n,
	}, nil
}

// Delete removes the files document, then the chunks, so that a blob is
// never visible with chunks missing. A missing or malformed key is not an
// error; deleting again finishes a delete that failed half-way.
func (s *Store) Delete(ctx context.Context, key string) error {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return nil
	}
	if _, err := s.files.DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("gridfsblob: delete files document: %w", mongostore.Translate(err))
	}
	if _, err := s.chunks.DeleteMany(ctx, byFile(id)); err != nil {
		return fmt.Errorf("gridfsblob: delete chunks: %w", mongostore.Translate(err))
	}
	return nil
}

// RemoveOrphans removes the chunks that belong to no files document and were
// written more than olderThan ago: what uploads interrupted by a crash left.
// olderThan must exceed the longest upload (a day is safe), since the chunks
// of an upload in progress have no files document yet. It reads the owner of
// every such chunk (a scan: run it at start-up or from a maintenance job,
// not per request) and returns how many blobs' chunks it removed.
func (s *Store) RemoveOrphans(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := bson.NewObjectIDFromTimestamp(time.Now().Add(-olderThan))
	filter := bson.D{{Key: "files_id", Value: bson.D{{Key: "$lt", Value: cutoff}}}}
	opts := options.Find().SetProjection(bson.D{{Key: "files_id", Value: 1}, {Key: "_id", Value: 0}})
	cur, err := s.chunks.Find(ctx, filter, opts)
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: find chunk owners: %w", mongostore.Translate(err))
	}
	owners := make(map[bson.ObjectID]struct{})
	for cur.Next(ctx) {
		var c struct {
			FileID bson.ObjectID `bson:"files_id"`
		}
		if err := cur.Decode(&c); err == nil {
			owners[c.FileID] = struct{}{}
		}
	}
	err = cur.Err()
	_ = cur.Close(ctx)
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: find chunk owners: %w", mongostore.Translate(err))
	}

	removed := 0
	for id := range owners {
		err := s.files.FindOne(ctx, byID(id)).Err()
		if err == nil {
			continue
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return removed, fmt.Errorf("gridfsblob: find files document: %w", mongostore.Translate(err))
		}
		if _, err := s.chunks.DeleteMany(ctx, byFile(id)); err != nil {
			return removed, fmt.Errorf("gridfsblob: delete orphaned chunks: %w", mongostore.Translate(err))
		}
		removed++
	}
	return removed, nil
}

// CountChunks returns the number of documents in the chunks collection of
// db, so that tests can prove that no chunks were orphaned.
func CountChunks(ctx context.Context, db *mongo.Database) (int64, error) {
	n, err := db.Collection(chunksCollection).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: count chunks: %w", mongostore.Translate(err))
	}
	return n, nil
}

// CountFiles returns the number of documents in the files collection of db.
func CountFiles(ctx context.Context, db *mongo.Database) (int64, error) {
	n, err := db.Collection(filesCollection).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: count files: %w", mongostore.Translate(err))
	}
	return n, nil
}

// reader reads a range of a blob from a cursor over its chunks.
type reader struct {
	ctx       context.Context
	cur       *mongo.Cursor
	id        bson.ObjectID
	length    int64 // the blob's size
	chunkSize int64
	next      int64  // the number of the next chunk expected
	skip      int64  // bytes to drop from the start of the next chunk
	left      int64  // bytes of the range not yet returned
	buf       []byte // the rest of the current chunk
	err       error
}

// errClosed is what a closed reader returns.
var errClosed = errors.New("gridfsblob: read from a closed blob reader")

// Read implements io.Reader.
func (r *reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.left == 0 {
		return 0, io.EOF
	}
	if len(r.buf) == 0 {
		if err := r.fetch(); err != nil {
			r.err = err
			return 0, err
		}
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.left -= int64(n)
	return n, nil
}

// fetch moves to the next chunk, checking that it is the one expected and
// has its expected size.
func (r *reader) fetch() error {
	n := r.next
	if !r.cur.Next(r.ctx) {
		if err := r.cur.Err(); err != nil {
			return fmt.Errorf("gridfsblob: read chunk: %w", mongostore.Translate(err))
		}
		// Deleted meanwhile, or damaged: never return a short blob as whole.
		return fmt.Errorf("gridfsblob: blob %s is missing chunk %d: %w", r.id.Hex(), n, io.ErrUnexpectedEOF)
	}
	var d chunkDoc
	if err := r.cur.Decode(&d); err != nil {
		return fmt.Errorf("gridfsblob: decode chunk: %w", err)
	}
	want := r.chunkSize
	if n == numChunks(r.length, r.chunkSize)-1 {
		want = r.length - n*r.chunkSize
	}
	if int64(d.N) != n {
		return fmt.Errorf("gridfsblob: blob %s is missing chunk %d: %w", r.id.Hex(), n, io.ErrUnexpectedEOF)
	}
	if int64(len(d.Data)) != want || r.skip >= want {
		return fmt.Errorf("gridfsblob: chunk %d of blob %s has %d bytes, want %d", n, r.id.Hex(), len(d.Data), want)
	}
	r.buf = d.Data[r.skip:]
	r.skip = 0
	r.next++
	return nil
}

// Close ends the reader and frees its server cursor.
func (r *reader) Close() error {
	if errors.Is(r.err, errClosed) {
		return nil
	}
	r.err = errClosed
	r.buf = nil
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), closeTimeout)
	defer cancel()
	_ = r.cur.Close(ctx) // the server times an abandoned cursor out anyway
	return nil
}
